import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  announcementSlug,
  announcementText,
  escapeMarkdown,
  markdownLink,
  monthLabel,
  paragraphs,
  validatePhotoCredit,
} from '../../src/domain/celebration/announcement.ts';
import type { Nomination } from '../../src/domain/celebration/nomination.ts';
import { sniffImage } from '../../src/domain/media/image.ts';
import { parseStoryMarkup } from '../../src/domain/stories/markup.ts';

// The honoree's story text: whatever people typed reads as typed and never becomes markup the
// story subset refuses; the photo's type is told by its bytes.

/** A translator that shows the key and its parameters, so the structure is visible without messages. */
const t = (key: string, ...params: Array<string | number>) => [key, ...params].join('|');

const HOSTILE = [
  '- a list item',
  '1. an ordered item',
  '# a heading',
  '> a quote',
  '```\ncode\n```',
  '    indented code',
  '| a | table |\n|---|---|',
  '---',
  '![image](https://example.org/x.png)',
  '[link](javascript:alert(1))',
  '<script>alert(1)</script>',
  '*unclosed _emphasis',
  'text with \uE000 reserved \uE001 characters',
  'back\\slash and `ticks`',
];

const nomination = (overrides: Partial<Nomination> = {}): Nomination => ({
  id: 1,
  cycleId: 1,
  nominee: 'Lucía',
  homeWiki: 'es.wikipedia.org',
  kind: 'human',
  operators: [],
  botTasks: null,
  regionId: 1,
  category: 'organiser',
  reasons: HOSTILE.join('\n\n'),
  evidence: ['https://es.wikipedia.org/wiki/Especial:Contribuciones/Lucía', 'https://example.org/a_(b)'],
  language: 'en',
  nominatorId: 2,
  nominator: 'Amani',
  nominatorBot: false,
  state: 'chosen',
  revision: 1,
  seconds: 1,
  hiddenReason: null,
  hiddenBy: null,
  hiddenAt: null,
  answeredAt: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...overrides,
});

describe('the honoree story text', () => {
  test('typed text in any Markdown form is one plain paragraph of the subset, read back as typed', () => {
    for (const typed of HOSTILE) {
      const parsed = parseStoryMarkup(escapeMarkdown(typed));
      assert.ok('blocks' in parsed, `${typed}: ${JSON.stringify(parsed)}`);
      assert.equal(parsed.blocks.length, 1);
      assert.equal(parsed.blocks[0]!.type, 'paragraph');
      const shown = parsed.blocks[0]!.inline.map((node) => (node.type === 'text' ? node.text : '')).join('');
      assert.equal(
        shown,
        typed
          .replace(/[\uE000\uE001]/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      );
    }
  });

  test('paragraphs split on blank lines; links keep their address and escape parentheses', () => {
    assert.deepEqual(paragraphs('one\ntwo\n\n  \n\nthree'), ['one two', 'three']);
    const link = parseStoryMarkup(markdownLink('https://example.org/a_(b)'));
    assert.ok('blocks' in link);
    const node = link.blocks[0]!.inline[0]!;
    assert.equal(node.type, 'link');
    assert.equal(node.type === 'link' && node.href, 'https://example.org/a_%28b%29');
  });

  test('the whole text parses, with headings, quotes and links; a bot has its tasks and operators', () => {
    const human = announcementText(
      {
        month: '2026-12',
        nomination: nomination(),
        seconds: [
          {
            userId: 3,
            username: 'Kofi',
            bot: false,
            reason: '**bold** claim',
            language: 'en',
            evidence: ['https://example.org/seconded'],
            fromNomination: false,
            createdAt: new Date(0),
          },
        ],
        anecdotes: [
          {
            id: 1,
            nominationId: 1,
            authorId: 4,
            author: 'Mei',
            authorBot: false,
            body: '- patient',
            language: null,
            state: 'approved',
            moderatedBy: 'Editor',
            moderatedAt: new Date(0),
            createdAt: new Date(0),
          },
        ],
      },
      t,
      'December 2026',
    );
    assert.equal(human.title, 'celebration-story-title|Lucía|December 2026');
    const parsed = parseStoryMarkup(human.body);
    assert.ok('blocks' in parsed, JSON.stringify(parsed));
    const types = parsed.blocks.map((block) => block.type);
    assert.equal(types.filter((type) => type === 'heading').length, 5);
    assert.equal(types.filter((type) => type === 'quote').length, 2, 'the seconding and the anecdote');
    const links = parsed.blocks.flatMap((block) => block.inline.filter((node) => node.type === 'link'));
    assert.deepEqual(
      links.map((node) => node.type === 'link' && node.href),
      [
        'https://es.wikipedia.org/wiki/Especial:Contribuciones/Luc%C3%ADa',
        'https://example.org/a_%28b%29',
        'https://example.org/seconded',
      ],
    );
    const bot = announcementText(
      {
        month: '2026-12',
        nomination: nomination({
          kind: 'bot',
          nominee: 'LinkBot',
          operators: ['Harej', 'Mei'],
          botTasks: 'Fixes links.',
        }),
        seconds: [],
        anecdotes: [],
      },
      t,
      'December 2026',
    );
    assert.equal(bot.summary, 'celebration-story-summary-bot|LinkBot|es.wikipedia.org|Harej, Mei');
    assert.match(bot.body, /## celebration\\-story\\-heading\\-bot\\-tasks\n\nFixes links\\\./);
    assert.equal(announcementSlug('2026-12'), 'celebration-2026-12');
  });

  test('months read in the language; photo credits are checked', () => {
    assert.equal(monthLabel('2026-12', 'en'), 'December 2026');
    assert.notEqual(monthLabel('2026-12', 'ar'), 'December 2026');
    assert.equal(monthLabel('not-a-month', 'en'), 'not-a-month');
    assert.deepEqual(validatePhotoCredit({ licence: ' CC BY-SA 4.0 ', author: 'Ana', source: '' }), {
      credit: { licence: 'CC BY-SA 4.0', author: 'Ana', sourceUrl: null },
    });
    assert.deepEqual(validatePhotoCredit({ licence: '', author: '', source: 'javascript:alert(1)' }), {
      errors: {
        licence: 'form-error-required',
        author: 'form-error-required',
        source: 'celebration-error-photo-source',
      },
    });
  });
});

describe('image types by their bytes', () => {
  test('PNG, JPEG and WebP with their sizes; anything else is none', () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.from('IHDR'),
      Buffer.from([0, 0, 2, 0, 0, 0, 1, 0]),
    ]);
    assert.deepEqual(sniffImage(png), { type: 'image/png', width: 512, height: 256 });
    // SOI, an APP0 segment of 16 bytes, then SOF0 with height 480 and width 640.
    const jpeg = Buffer.from([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...Buffer.alloc(14),
      0xff,
      0xc0,
      0x00,
      0x11,
      0x08,
      0x01,
      0xe0,
      0x02,
      0x80,
      0x03,
    ]);
    assert.deepEqual(sniffImage(jpeg), { type: 'image/jpeg', width: 640, height: 480 });
    const webp = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from('WEBPVP8X'),
      Buffer.alloc(8),
      Buffer.from([0x3f, 0x01, 0x00, 0xef, 0x00, 0x00]),
    ]);
    assert.deepEqual(sniffImage(webp), { type: 'image/webp', width: 320, height: 240 });
    assert.equal(sniffImage(Buffer.from('GIF89a……')), null);
    assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')), null);
    assert.equal(sniffImage(Buffer.alloc(0)), null);
  });
});
