import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  WRITABLE_SUBTITLE_FORMATS,
  decodeSubtitleBytes,
  detectFormat,
  parseSubtitles,
  writeSubtitles,
  type Cue,
  type SubtitleFormat,
} from '../../../src/domain/subtitles/index.ts';
import { plainCueText } from '../../../src/domain/subtitles/sbv.ts';

// Converting between every pair of formats keeps timing and text: read a fixture, write it as the
// target, read that, write it back as the source and read again. Text is compared as far as each
// format can carry it: SBV has no markup; TTML keeps italic, bold and underline (not voices or
// colours) and collapses runs of spaces as XML does.

const FIXTURES = new URL('../../fixtures/subtitles/', import.meta.url);
const SOURCES: Record<SubtitleFormat, string[]> = {
  vtt: ['valid-vtt.vtt', 'multilingual.vtt'],
  srt: ['valid-srt.srt', 'utf16le.srt'],
  sbv: ['valid-sbv.sbv'],
  ttml: ['valid-ttml.ttml', 'frames-dfxp.dfxp', 'styles-ttml.ttml'],
  ass: ['valid-ass.ass', 'valid-ssa.ssa'],
};

function read(name: string) {
  const decoded = decodeSubtitleBytes(readFileSync(new URL(name, FIXTURES)));
  assert.ok('text' in decoded, name);
  return parseSubtitles(decoded.text, detectFormat(decoded.text, name)).cues;
}
type Carries = 'all' | 'emphasis' | 'plain';
function visible(cues: readonly Cue[], carries: Carries) {
  return cues.map((cue) => {
    let text =
      carries === 'plain'
        ? plainCueText(cue.text)
        : carries === 'emphasis'
          ? cue.text.replace(/<(?!\/?[ibu]>)[^>]*>/g, '')
          : cue.text;
    if (carries !== 'all') text = text.replace(/[ \t\u00a0]+/g, ' ');
    text = text
      .split('\n')
      .map((line) => (carries === 'all' ? line : line.trim()))
      .filter((line) => line.trim() !== '')
      .join('\n');
    return { startTime: cue.startTime, endTime: cue.endTime, text };
  });
}
const carried = (...formats: SubtitleFormat[]): Carries =>
  formats.includes('sbv') ? 'plain' : formats.includes('ttml') ? 'emphasis' : 'all';

for (const [source, names] of Object.entries(SOURCES) as [SubtitleFormat, string[]][]) {
  for (const target of WRITABLE_SUBTITLE_FORMATS) {
    test(`${source} → ${target}${source === 'ass' ? '' : ` → ${source}`} keeps timing and text`, () => {
      for (const name of names) {
        const cues = read(name);
        assert.ok(cues.length > 0, name);
        const converted = writeSubtitles(cues, target, { language: 'en' });
        assert.equal(detectFormat(converted), target, `${name} written as ${target} is recognised as ${target}`);
        const once = parseSubtitles(converted, target);
        assert.deepEqual(
          once.problems.filter((p) => p.severity === 'error'),
          [],
          `${name} as ${target}`,
        );
        const carries = carried(source, target);
        assert.deepEqual(visible(once.cues, carries), visible(cues, carries), `${name} as ${target}`);
        if (source === 'ass') continue;
        const back = parseSubtitles(writeSubtitles(once.cues, source), source);
        assert.deepEqual(visible(back.cues, carries), visible(cues, carries), `${name} as ${target} and back`);
      }
    });
  }
}

test('hostile text survives every format as text: no markup appears that was not there', () => {
  const cues: Cue[] = [
    {
      id: '',
      startTime: 1,
      endTime: 2,
      text: '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "quotes"',
      settings: read('valid-vtt.vtt')[0]!.settings,
    },
  ];
  for (const format of WRITABLE_SUBTITLE_FORMATS) {
    const back = parseSubtitles(writeSubtitles(cues, format), format).cues;
    assert.equal(plainCueText(back[0]!.text), '<script>alert(1)</script> & "quotes"', format);
    assert.doesNotMatch(back[0]!.text, /<script/, format);
  }
});
