// `npm run api-docs`: writes docs/API.md, the JSON API's reference, from the OpenAPI
// document the app makes of its routes' schemas (a test checks it is up to date).
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/services/index.ts';
import { openDatabase } from '../src/store/database.ts';

interface Schema {
  type?: string | string[];
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
}
interface Operation {
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema; description?: string }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
}
export interface OpenApiDocument {
  info: { title: string; description?: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The app's OpenAPI document, made by booting it on an empty embedded database in memory. */
export async function openApiDocument(): Promise<OpenApiDocument> {
  const database = await openDatabase({});
  try {
    const app = await buildApp(loadConfig({ PAGE_CACHE_SECONDS: '0' }), await createServices(database, loadConfig()));
    await app.ready();
    const document = app.swagger() as unknown as OpenApiDocument;
    await app.close();
    return document;
  } finally {
    await database.close();
  }
}

/** A schema in a few words: "string", "integer", "array of Cue", "'draft' | 'published'". */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return '';
  if (schema.$ref) return schema.$ref.split('/').at(-1)!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `array of ${typeOf(schema.items)}`;
  if (schema.type === 'object' && schema.properties) return `{ ${Object.keys(schema.properties).join(', ')} }`;
  return `${Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any')}${schema.format ? ` (${schema.format})` : ''}`;
}

const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function fields(schema: Schema): string {
  const rows = Object.entries(schema.properties ?? {}).map(
    ([name, field]) =>
      `| \`${name}\` | ${typeOf(field)} | ${schema.required?.includes(name) ? 'yes' : ''} | ${cell(field.description)} |`,
  );
  return rows.length ? `| field | type | required | meaning |\n|---|---|---|---|\n${rows.join('\n')}\n` : '';
}

/** The reference as Markdown: every operation with its parameters, body and answers. */
export function apiReference(document: OpenApiDocument): string {
  const parts = [
    `# ${document.info.title} (version ${document.info.version})\n\n` +
      'This page is made from the OpenAPI document the site serves at `/api/v1/openapi.json` ' +
      '(`npm run api-docs` writes it again; a test fails when it is out of date).\n\n' +
      `${document.info.description ?? ''}\n`,
  ];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      parts.push(
        `\n## ${method.toUpperCase()} ${path}\n\n${operation.summary ?? ''}${operation.security ? ` Needs ${operation.security.map((s) => Object.keys(s).join(' and ')).join(' or ')}.` : ''}\n`,
      );
      if (operation.parameters?.length) {
        parts.push(
          `\n| parameter | in | type | required | meaning |\n|---|---|---|---|---|\n${operation.parameters
            .map(
              (p) =>
                `| \`${p.name}\` | ${p.in} | ${typeOf(p.schema)} | ${p.required ? 'yes' : ''} | ${cell(p.description ?? p.schema?.description)} |`,
            )
            .join('\n')}\n`,
        );
      }
      const body = operation.requestBody?.content['application/json']?.schema;
      if (body) parts.push(`\nBody (JSON):\n\n${fields(body)}`);
      parts.push(
        `\nAnswers: ${Object.entries(operation.responses)
          .map(([status, response]) =>
            `${status} ${typeOf(response.content?.['application/json']?.schema) || response.description || ''}`.trim(),
          )
          .join('; ')}.\n`,
      );
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {});
  if (schemas.length) {
    parts.push('\n## Shapes\n');
    for (const [name, schema] of schemas)
      parts.push(`\n### ${name}\n\n${schema.description ?? ''}\n\n${fields(schema)}`);
  }
  return parts.join('');
}

if (import.meta.main) {
  writeFileSync(new URL('../docs/API.md', import.meta.url), apiReference(await openApiDocument()));
  console.log('Wrote docs/API.md');
}
