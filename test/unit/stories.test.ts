import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBlocks, parseBlocks } from '../../src/domain/stories/blocks.ts';
import { validateStoryForm, type StoryForm } from '../../src/domain/stories/story-form.ts';

test('story text splits into paragraph, heading and quote blocks and back', () => {
  const text = 'First paragraph\nstill first.\n\n## A heading\n\n> A quote\n> on two lines\n\n\n\nLast.';
  const blocks = parseBlocks(text);
  assert.deepEqual(blocks, [
    { type: 'paragraph', text: 'First paragraph\nstill first.' },
    { type: 'heading', text: 'A heading' },
    { type: 'quote', text: 'A quote\non two lines' },
    { type: 'paragraph', text: 'Last.' },
  ]);
  assert.deepEqual(parseBlocks(formatBlocks(blocks)), blocks);
  assert.deepEqual(parseBlocks('a\r\n\r\nb'), [
    { type: 'paragraph', text: 'a' },
    { type: 'paragraph', text: 'b' },
  ]);
  assert.deepEqual(parseBlocks('  \n\n  '), []);
});

const known = {
  regionIds: new Set([1]),
  themeIds: new Set([1, 2]),
  personIds: new Set([5]),
  languages: new Set(['en', 'ar']),
};
const valid: StoryForm = {
  slug: 'river-school',
  region: '1',
  sourceLanguage: 'en',
  featured: 'on',
  themes: ['1', '2', '2'],
  storytellers: ['5'],
  title: ' River school ',
  summary: 'Summary',
  body: 'Body',
  revision: '3',
};

test('a valid story form becomes the input to save', () => {
  const result = validateStoryForm({ ...valid, sourceLanguage: 'ar' }, known);
  assert.ok('input' in result);
  assert.equal(result.input.text.language, 'ar');
  assert.equal(result.input.text.title, 'River school');
  assert.deepEqual(result.input.themeIds, [1, 2]);
  assert.equal(result.input.featured, true);
});

test('each bad field is named with its problem', () => {
  const result = validateStoryForm(
    {
      ...valid,
      slug: 'Bad Slug',
      region: '9',
      title: '',
      themes: ['7'],
      storytellers: ['x'],
      body: 'x'.repeat(100_001),
      sourceLanguage: 'xx',
    },
    known,
  );
  assert.ok('errors' in result);
  assert.deepEqual(result.errors, {
    slug: 'form-error-slug',
    region: 'form-error-choose',
    sourceLanguage: 'form-error-choose',
    themes: 'form-error-choose',
    storytellers: 'form-error-choose',
    title: 'form-error-required',
    body: 'form-error-too-long',
  });
  assert.deepEqual((validateStoryForm({ ...valid, slug: 'a'.repeat(81) }, known) as { errors: object }).errors, {
    slug: 'form-error-too-long',
  });
});

test('a body in the Markdown subset is kept as canonical blocks; what cannot be shown is named with its line', () => {
  const result = validateStoryForm(
    { ...valid, body: 'We met *twice*.\n\n## Then\n\n> See [the wiki](https://meta.wikimedia.org).' },
    known,
  );
  assert.ok('input' in result);
  assert.deepEqual(result.input.text.blocks, [
    { type: 'paragraph', text: 'We met *twice*.' },
    { type: 'heading', text: 'Then' },
    { type: 'quote', text: 'See [the wiki](https://meta.wikimedia.org).' },
  ]);
  const refused = validateStoryForm({ ...valid, body: 'Fine.\n\n[click](javascript:alert(1))' }, known);
  assert.ok('errors' in refused);
  assert.equal(refused.errors.body, 'form-error-markup');
  assert.equal(refused.markup?.[0]?.code, 'link_scheme');
  assert.equal(refused.markup?.[0]?.line, 3);
});
