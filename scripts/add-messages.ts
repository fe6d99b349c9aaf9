import { readFileSync, writeFileSync } from 'node:fs';

// Merges new interface messages into the i18n files in one quick read-modify-write per file.
// Usage: node scripts/add-messages.ts MESSAGES.json
// MESSAGES.json: { "<key>": { "en": "...", "qqq": "...", "ar": "...", ... }, ... }
// A language left out of an entry is left untouched; an existing key is replaced in place.

const [file] = process.argv.slice(2);
if (!file) {
  console.error('Usage: node scripts/add-messages.ts MESSAGES.json');
  process.exit(2);
}
const additions = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
const languages = new Set(Object.values(additions).flatMap((entry) => Object.keys(entry)));
for (const language of languages) {
  const path = new URL(`../i18n/${language}.json`, import.meta.url);
  const messages = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const [key, entry] of Object.entries(additions))
    if (entry[language] !== undefined) messages[key] = entry[language];
  writeFileSync(path, `${JSON.stringify(messages, null, '\t')}\n`);
}
console.log(`${Object.keys(additions).length} messages merged into ${[...languages].sort().join(', ')}`);
