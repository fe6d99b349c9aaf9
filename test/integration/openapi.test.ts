import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestSite, type TestSite } from '../helpers/app.ts';

// The OpenAPI document is made from the routes' schemas: checked here against the OpenAPI 3.1
// schema by a validator of its own, and against the routes the app really has.

describe('the OpenAPI document of /api/v1', () => {
  let site: TestSite;
  before(async () => {
    site = await startTestSite('embedded');
  });
  after(async () => {
    await site.close();
  });

  test('is a valid OpenAPI 3.1 document', async () => {
    const response = await site.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.equal(document.openapi, '3.1.0');
    const result = await new Validator().validate(document);
    assert.deepEqual(result.errors ?? [], [], 'no schema errors');
    assert.equal(result.valid, true);
  });

  test('lists every /api/v1 route with its parameters, a response schema and the error shape, and nothing else', async () => {
    const document = (await site.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: Array<{ name: string; in: string }>;
            requestBody?: unknown;
            responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
          }
        >
      >;
      components: { schemas: Record<string, unknown> };
    };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = [
      'GET /api/v1/languages',
      'GET /api/v1/stories',
      'GET /api/v1/stories/{slug}',
      'GET /api/v1/search',
      'GET /api/v1/regions',
      'GET /api/v1/themes',
      'GET /api/v1/people',
      'GET /api/v1/celebrations',
      'GET /api/v1/celebrations/{month}',
      'GET /api/v1/stories/{slug}/subtitles/{language}',
      'PUT /api/v1/stories/{slug}/subtitles/{language}',
      'PATCH /api/v1/stories/{slug}/subtitles/{language}',
      'GET /api/v1/stories/{slug}/subtitles/{language}/history',
      'GET /api/v1/stories/{slug}/translations/{language}',
      'PUT /api/v1/stories/{slug}/translations/{language}/units/{unit}',
      'POST /api/v1/stories/{slug}/translations/{language}/review',
      'GET /api/v1/stories/{slug}/translations/{language}/units/{unit}/memory',
      'GET /api/v1/stories/{slug}/translations/{language}/units/{unit}/machine',
      'GET /api/v1/stories/{slug}/translations/{language}/units/{unit}/comments',
      'POST /api/v1/stories/{slug}/translations/{language}/units/{unit}/comments',
      'GET /api/v1/stories/{slug}/translations/{language}/units/{unit}/history',
      'GET /api/v1/memory',
    ];
    assert.deepEqual(documented.sort(), expected.sort());
    for (const route of expected) {
      const [method, url] = route.split(' ') as ['GET', string];
      assert.ok(site.app.hasRoute({ method, url: url.replace(/\{(\w+)\}/g, ':$1') }), `the app has ${route}`);
    }
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const ok = operation.responses['200']?.content?.['application/json']?.schema;
        assert.ok(ok, `${method} ${path} declares what it answers`);
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          assert.ok(
            operation.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name),
            `${method} ${path} declares ${name}`,
          );
        }
      }
    }
    const save = document.paths['/api/v1/stories/{slug}/subtitles/{language}']!.patch!;
    assert.ok(save.requestBody, 'a save documents its body');
    assert.ok(save.responses['409']?.content?.['application/json']?.schema, 'and the conflict it may meet');
    assert.match(JSON.stringify(save.responses['400']), /"\$ref":"#\/components\/schemas\/Error"/);
    assert.ok(document.components.schemas.Error, 'the error shape, with its stable codes');
    assert.match(JSON.stringify(document.components.schemas.Error), /edit_conflict/);
  });

  test('the single story documents its coverage, and every history who made a change, through which token', async () => {
    const document = (await site.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    type Schema = {
      properties: Record<string, Schema>;
      items: Schema;
      additionalProperties: Schema;
      required?: string[];
    };
    const answer = (path: string) =>
      document.paths[path].get.responses['200'].content['application/json'].schema as Schema;
    const coverage = answer('/api/v1/stories/{slug}').properties.coverage!;
    assert.deepEqual(Object.keys(coverage.properties).sort(), ['subtitles', 'translations']);
    assert.deepEqual(Object.keys(coverage.properties.translations!.additionalProperties.properties).sort(), [
      'approved',
      'percent',
      'units',
    ]);
    assert.deepEqual(Object.keys(coverage.properties.subtitles!.additionalProperties.properties).sort(), [
      'cues',
      'filled',
      'percent',
      'published',
      'state',
    ]);
    for (const [path, list] of [
      ['/api/v1/stories/{slug}/subtitles/{language}/history', 'revisions'],
      ['/api/v1/stories/{slug}/translations/{language}/units/{unit}/history', 'history'],
      ['/api/v1/stories/{slug}/translations/{language}/units/{unit}/comments', 'comments'],
    ] as const) {
      const entry = answer(path).properties[list]!.items;
      assert.ok(entry.properties.viaToken && entry.properties.bot, `${path} names the token and marks bots`);
      assert.ok(entry.required?.includes('viaToken') && entry.required.includes('bot'), path);
    }
  });

  test('answers match their declared shapes (a read through the documented route)', async () => {
    const languages = await site.app.inject({ method: 'GET', url: '/api/v1/languages' });
    assert.equal(languages.statusCode, 200);
    assert.ok(
      languages
        .json()
        .languages.some((l: { code: string; autonym: string }) => l.code === 'ar' && l.autonym === 'العربية'),
    );
    const missing = await site.app.inject({ method: 'GET', url: '/api/v1/stories/nothing-here' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(Object.keys(missing.json().error).sort(), ['code', 'message']);
  });
});

test('docs/API.md is the reference made from the current document (npm run api-docs writes it)', async () => {
  const { apiReference, openApiDocument } = await import('../../scripts/api-docs.ts');
  const { readFileSync } = await import('node:fs');
  const written = readFileSync(new URL('../../docs/API.md', import.meta.url), 'utf8');
  assert.equal(written, apiReference(await openApiDocument()), 'run npm run api-docs');
  assert.match(written, /## PATCH \/api\/v1\/stories\/\{slug\}\/subtitles\/\{language\}/);
});
