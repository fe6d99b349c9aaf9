import { SaxesParser, type SaxesTagNS } from 'saxes';
import { defaultCueSettings, type Cue, type ParseResult, type SubtitleProblem } from './cue.ts';
import { formatTimestamp, problem, sortProblems } from './lines.ts';
import { plainCueText } from './sbv.ts';
import { xmlAttribute, xmlText } from '../xml.ts';

// TTML (TTML1/TTML2, IMSC text) and its predecessor DFXP, read for text, timing and italic, bold
// and underline. Elements are matched by local name whatever their namespace (DFXP used other
// namespace URIs); timing follows "par" containers: a paragraph's times count from its parents'
// begin, and it ends where its parents end when it says nothing. Malformed XML stops the reader
// with the position of the first error, as an XML parser must.

type Emphasis = 'i' | 'b' | 'u';
interface Style {
  emphasis: Set<Emphasis>;
  refs: string[];
}
interface Frame {
  name: string;
  begin: number;
  end: number | null;
  emphasis: Set<Emphasis>;
  preserve: boolean;
}
interface Paragraph {
  line: number;
  column: number;
  begin: number;
  end: number | null;
  text: string;
  open: Emphasis[];
}
interface TimeBase {
  frameRate: number;
  subFrameRate: number;
  tickRate: number;
}

const CLOCK = /^(\d{2,}):(\d{2}):(\d{2})(?:(\.\d+)|:(\d{2,})(?:\.(\d+))?)?$/;
const OFFSET = /^(\d+(?:\.\d+)?)(h|ms|m|s|f|t)$/;

/** Seconds of a TTML time expression (clock time or offset time), or null when it is not one. */
export function parseTimeExpression(value: string, base: TimeBase): number | null {
  const text = value.trim();
  const clock = CLOCK.exec(text);
  if (clock) {
    const [, h, m, s, fraction, frames, subFrames] = clock;
    if (Number(m) > 59 || Number(s) > 60) return null;
    let seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
    if (fraction) seconds += Number(fraction);
    if (frames) seconds += (Number(frames) + (subFrames ? Number(subFrames) / base.subFrameRate : 0)) / base.frameRate;
    return Math.round(seconds * 1000) / 1000;
  }
  const offset = OFFSET.exec(text);
  if (!offset) return null;
  const amount = Number(offset[1]);
  const unit = offset[2]!;
  const seconds =
    unit === 'h'
      ? amount * 3600
      : unit === 'm'
        ? amount * 60
        : unit === 's'
          ? amount
          : unit === 'ms'
            ? amount / 1000
            : unit === 'f'
              ? amount / base.frameRate
              : amount / base.tickRate;
  return Math.round(seconds * 1000) / 1000;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function attribute(tag: SaxesTagNS, name: string): string | undefined {
  for (const attr of Object.values(tag.attributes))
    if (attr.local === name && (attr.prefix !== 'xml' || name === 'space' || name === 'id' || name === 'lang'))
      return attr.value;
  return undefined;
}

function emphasisOf(tag: SaxesTagNS): Set<Emphasis> {
  const found = new Set<Emphasis>();
  if (attribute(tag, 'fontStyle') === 'italic' || attribute(tag, 'fontStyle') === 'oblique') found.add('i');
  if (attribute(tag, 'fontWeight') === 'bold') found.add('b');
  if (/\bunderline\b/.test(attribute(tag, 'textDecoration') ?? '')) found.add('u');
  return found;
}

/** Reads TTML or DFXP text, keeping every cue it can read and reporting every problem with its position. */
export function parseTTML(text: string): ParseResult {
  const problems: SubtitleProblem[] = [];
  const cues: { cue: Cue; order: number }[] = [];
  const styles = new Map<string, Style>();
  const base: TimeBase = { frameRate: 30, subFrameRate: 1, tickRate: 1 };
  const stack: Frame[] = [];
  let paragraph: Paragraph | null = null;
  let sawRoot = false;
  let failed = false;
  let tagLine = 1;
  let tagColumn = 1;
  const parser = new SaxesParser({ xmlns: true, position: true });

  const resolveStyle = (ids: string, seen = new Set<string>()): Set<Emphasis> => {
    const result = new Set<Emphasis>();
    for (const id of ids.split(/\s+/).filter(Boolean)) {
      const style = styles.get(id);
      if (!style || seen.has(id)) continue;
      seen.add(id);
      for (const emphasis of resolveStyle(style.refs.join(' '), seen)) result.add(emphasis);
      for (const emphasis of style.emphasis) result.add(emphasis);
    }
    return result;
  };
  const time = (tag: SaxesTagNS, name: 'begin' | 'end' | 'dur'): number | null | undefined => {
    const value = attribute(tag, name);
    if (value === undefined) return undefined;
    const seconds = parseTimeExpression(value, base);
    if (seconds === null)
      problems.push(
        problem(
          tagLine,
          tagColumn,
          'bad_time_expression',
          'error',
          `"${value}" is not a TTML time (like 00:00:01.500, 00:00:01:12 or 1.5s); this cue is skipped.`,
        ),
      );
    return seconds;
  };
  const append = (content: string) => {
    if (!paragraph) return;
    const wanted = [...(stack.at(-1)?.emphasis ?? new Set<Emphasis>())];
    // Close what is no longer wanted (and what was opened after it), then open what is missing.
    let keep = 0;
    while (keep < paragraph.open.length && wanted.includes(paragraph.open[keep]!)) keep++;
    for (let k = paragraph.open.length - 1; k >= keep; k--) paragraph.text += `</${paragraph.open[k]}>`;
    paragraph.open.length = keep;
    for (const emphasis of wanted)
      if (!paragraph.open.includes(emphasis)) {
        paragraph.text += `<${emphasis}>`;
        paragraph.open.push(emphasis);
      }
    paragraph.text += content;
  };

  parser.on('opentagstart', (tag) => {
    tagLine = parser.line;
    tagColumn = Math.max(1, parser.columnIndex - tag.name.length - 1);
  });
  parser.on('opentag', (tag) => {
    const name = tag.local ?? local(tag.name);
    const parent = stack.at(-1);
    const frame: Frame = {
      name,
      begin: parent?.begin ?? 0,
      end: parent?.end ?? null,
      emphasis: new Set(parent?.emphasis ?? []),
      preserve: attribute(tag, 'space') ? attribute(tag, 'space') === 'preserve' : (parent?.preserve ?? false),
    };
    if (!sawRoot) {
      sawRoot = true;
      if (name !== 'tt') {
        problems.push(
          problem(
            tagLine,
            tagColumn,
            'missing_tt',
            'error',
            `The document starts with <${tag.name}>, not <tt>: this is not TTML.`,
          ),
        );
        failed = true;
      }
      const frameRate = Number(attribute(tag, 'frameRate') ?? 30);
      const [numerator, denominator] = (attribute(tag, 'frameRateMultiplier') ?? '1 1').split(/\s+/).map(Number);
      base.frameRate = frameRate > 0 ? frameRate * ((numerator ?? 1) / (denominator || 1) || 1) : 30;
      base.subFrameRate = Number(attribute(tag, 'subFrameRate') ?? 1) || 1;
      base.tickRate = Number(attribute(tag, 'tickRate') ?? (attribute(tag, 'frameRate') ? base.frameRate : 1)) || 1;
    }
    if (failed) return void stack.push(frame);
    if (name === 'style' && !paragraph) {
      const id = attribute(tag, 'id');
      if (id)
        styles.set(id, {
          emphasis: emphasisOf(tag),
          refs: (attribute(tag, 'style') ?? '').split(/\s+/).filter(Boolean),
        });
      return void stack.push(frame);
    }
    for (const emphasis of resolveStyle(attribute(tag, 'style') ?? '')) frame.emphasis.add(emphasis);
    for (const emphasis of emphasisOf(tag)) frame.emphasis.add(emphasis);
    if (['body', 'div', 'p'].includes(name)) {
      const begin = time(tag, 'begin');
      const end = time(tag, 'end');
      const dur = time(tag, 'dur');
      if (begin === null || end === null || dur === null) frame.begin = Number.NaN;
      else {
        const start = (parent?.begin ?? 0) + (begin ?? 0);
        frame.begin = start;
        const ends = [
          parent?.end ?? null,
          end !== undefined ? (parent?.begin ?? 0) + end : null,
          dur !== undefined ? start + dur : null,
        ].filter((value): value is number => value !== null);
        frame.end = ends.length ? Math.min(...ends) : null;
      }
    }
    if (name === 'p') {
      if (!stack.some((ancestor) => ancestor.name === 'body')) {
        problems.push(
          problem(
            tagLine,
            tagColumn,
            'misplaced_paragraph',
            'error',
            'A <p> outside <body> is not shown; it is skipped.',
          ),
        );
      } else paragraph = { line: tagLine, column: tagColumn, begin: frame.begin, end: frame.end, text: '', open: [] };
    }
    if (name === 'br' && paragraph) {
      stack.push(frame);
      append('\n');
      return;
    }
    stack.push(frame);
  });
  parser.on('text', (content) => {
    if (!paragraph || failed) return;
    const frame = stack.at(-1)!;
    append(escapeText(frame.preserve ? content : content.replace(/[ \t\r\n]+/g, ' ')));
  });
  parser.on('closetag', (tag) => {
    const frame = stack.pop();
    const name = tag.local ?? local(tag.name);
    if (name !== 'p' || !paragraph || !frame) return;
    const done = paragraph;
    paragraph = null;
    for (let k = done.open.length - 1; k >= 0; k--) done.text += `</${done.open[k]}>`;
    const text = done.text
      .split('\n')
      .map((line) => line.replace(/^ +| +$/g, ''))
      .join('\n')
      .replace(/<(\w)><\/\1>/g, '');
    if (Number.isNaN(done.begin)) return;
    if (done.end === null) {
      problems.push(
        problem(
          done.line,
          done.column,
          'missing_begin_end',
          'error',
          'This paragraph has no end (no end or dur here or on its parents); it is skipped.',
        ),
      );
      return;
    }
    if (done.end <= done.begin) {
      problems.push(
        problem(
          done.line,
          done.column,
          'end_before_start',
          'warning',
          `The cue ends (${formatTimestamp(done.end, '.')}) ${done.end === done.begin ? 'when' : 'before'} it starts (${formatTimestamp(done.begin, '.')}), so it is never shown.`,
        ),
      );
    }
    if (plainCueText(text).trim() === '')
      problems.push(problem(done.line, done.column, 'empty_cue', 'warning', 'This paragraph has no text.'));
    cues.push({
      cue: { id: '', startTime: done.begin, endTime: done.end, text, settings: defaultCueSettings() },
      order: cues.length,
    });
  });
  parser.on('error', (error) => {
    if (failed) return;
    failed = true;
    problems.push(
      problem(
        parser.line,
        parser.columnIndex + 1,
        'malformed_xml',
        'error',
        `The XML is malformed here (${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}); the file cannot be read.`,
      ),
    );
  });
  try {
    parser.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).close();
  } catch (error) {
    if (!failed)
      problems.push(
        problem(
          parser.line,
          parser.columnIndex + 1,
          'malformed_xml',
          'error',
          `The XML is malformed here (${(error as Error).message}); the file cannot be read.`,
        ),
      );
    failed = true;
  }
  if (!sawRoot && !failed)
    problems.push(problem(1, 1, 'missing_tt', 'error', 'The document has no <tt> element: this is not TTML.'));
  if (failed) return { format: 'ttml', cues: [], problems: sortProblems(problems) };
  cues.sort((a, b) => a.cue.startTime - b.cue.startTime || a.order - b.order);
  return { format: 'ttml', cues: cues.map((entry) => entry.cue), problems: sortProblems(problems) };
}

const SPAN_STYLE: Record<Emphasis, string> = {
  i: 'tts:fontStyle="italic"',
  b: 'tts:fontWeight="bold"',
  u: 'tts:textDecoration="underline"',
};

/** One cue's text as TTML content: <i>, <b>, <u> as styled spans, line breaks as <br/>, other tags dropped. */
function ttmlContent(text: string): string {
  let out = '';
  const open: string[] = [];
  for (const part of text.split(/(<\/?[ibu](?:\.[^>]*)?>|<[^>]*>|\n)/)) {
    if (part === '\n') out += '<br/>';
    else if (/^<[ibu][.>]/.test(part)) {
      out += `<span ${SPAN_STYLE[part[1] as Emphasis]}>`;
      open.push(part[1]!);
    } else if (/^<\/[ibu]>$/.test(part)) {
      // Only a tag that is open closes; a stray one is dropped, so the XML stays well formed.
      const at = open.lastIndexOf(part[2]!);
      if (at >= 0) {
        const reopened = open.splice(at).slice(1);
        out += '</span>'.repeat(reopened.length + 1);
        for (const again of reopened) out += `<span ${SPAN_STYLE[again as Emphasis]}>`;
        open.push(...reopened);
      }
    } else if (!part.startsWith('<')) out += xmlText(plainCueText(part));
  }
  return out + '</span>'.repeat(open.length);
}

/** Writes cues as a TTML document (xml:lang from `language`), one <p> per cue with clock times. */
export function writeTTML(cues: readonly Cue[], options: { language?: string } = {}): string {
  const language = xmlAttribute(options.language ?? 'und');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" xml:lang="${language}">`,
    '  <body>',
    '    <div>',
  ];
  for (const cue of cues) {
    lines.push(
      `      <p begin="${formatTimestamp(cue.startTime, '.')}" end="${formatTimestamp(cue.endTime, '.')}">${ttmlContent(cue.text)}</p>`,
    );
  }
  lines.push('    </div>', '  </body>', '</tt>', '');
  return lines.join('\n');
}
