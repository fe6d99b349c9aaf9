/** Picks the first language of `chain` that `available` has, else `last`, else any; null when empty. */
export function pickLanguage(chain: readonly string[], available: readonly string[], last?: string): string | null {
  for (const code of chain) if (available.includes(code)) return code;
  if (last && available.includes(last)) return last;
  return available[0] ?? null;
}

/** The name of something in the reader's language, falling back along the chain, then English. */
export function localizedName(
  names: Record<string, string>,
  chain: readonly string[],
): { text: string; language: string } {
  const language = pickLanguage(chain, Object.keys(names), 'en');
  return language ? { text: names[language]!, language } : { text: '', language: chain[0] ?? 'en' };
}
