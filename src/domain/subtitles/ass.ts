import { defaultCueSettings, type Cue, type ParseResult, type SubtitleProblem } from './cue.ts';
import { LineCursor, problem, sortProblems } from './lines.ts';

// SubStation Alpha (.ssa) and Advanced SubStation Alpha (.ass), read for text and timing: the
// [Events] section's Format line names the fields of each Dialogue line (Text is last and may hold
// commas). Italic, bold and underline overrides become <i>, <b>, <u>; other overrides, drawing
// and comments are dropped; \N is a line break and \h a no-break space. Cues come out sorted by
// start time, as ASS files are often unordered on purpose (layers, karaoke).

const SECTIONS = new Set([
  'script info',
  'v4 styles',
  'v4+ styles',
  'v4 styles+',
  'events',
  'fonts',
  'graphics',
  'aegisub project garbage',
  'aegisub extradata',
]);
const TIME = /^\s*(\d+):([0-5]?\d):([0-5]?\d)(?:[.:](\d{1,3}))?\s*$/;
const DEFAULT_FORMAT = ['layer', 'start', 'end', 'style', 'name', 'marginl', 'marginr', 'marginv', 'effect', 'text'];
const STYLE_TAGS: Record<string, string> = { i: 'i', b: 'b', u: 'u' };

function readTime(value: string): number | null {
  const match = TIME.exec(value);
  if (!match) return null;
  const fraction = match[4] ?? '0';
  // Centiseconds are the format's unit; some tools write milliseconds.
  const subsecond = fraction.length === 3 ? Number(fraction) / 1000 : Number(fraction.padEnd(2, '0')) / 100;
  return Math.round((Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) + subsecond) * 1000) / 1000;
}

/** ASS dialogue text as cue text: overrides to <i>/<b>/<u> (closed at the end), \N to line breaks, "<" and "&" kept as text. */
export function assTextToCueText(raw: string): string {
  let out = '';
  const open: string[] = [];
  const toggle = (tag: string, on: boolean) => {
    const at = open.lastIndexOf(tag);
    if (on && at < 0) {
      out += `<${tag}>`;
      open.push(tag);
    } else if (!on && at >= 0) {
      for (let k = open.length - 1; k >= at; k--) out += `</${open[k]}>`;
      const reopen = open.splice(at).slice(1);
      for (const again of reopen) out += `<${again}>`;
      open.push(...reopen);
    }
  };
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '{') {
      const close = raw.indexOf('}', i);
      const block = close < 0 ? raw.slice(i + 1) : raw.slice(i + 1, close);
      // {\b1} is bold, but {\bord2} (a border) and {\blur3} are not.
      for (const match of block.matchAll(/\\([ibu])(\d*)(?![a-zA-Z])/g))
        toggle(STYLE_TAGS[match[1]!]!, match[2] !== '0');
      i = close < 0 ? raw.length : close;
    } else if (char === '\\' && (raw[i + 1] === 'N' || raw[i + 1] === 'n')) {
      out += '\n';
      i++;
    } else if (char === '\\' && raw[i + 1] === 'h') {
      out += '\u00a0';
      i++;
    } else if (char === '<') out += '&lt;';
    else if (char === '&') out += '&amp;';
    else out += char;
  }
  for (let k = open.length - 1; k >= 0; k--) out += `</${open[k]}>`;
  return out.replace(/<(\w)><\/\1>/g, '');
}

/** Reads SSA/ASS text: every Dialogue line of [Events] as a cue, every problem with its line and column. */
export function parseASS(text: string): ParseResult {
  const cursor = new LineCursor(text);
  const problems: SubtitleProblem[] = [];
  const cues: { cue: Cue; order: number }[] = [];
  let section = '';
  let sawEvents = false;
  let format: string[] | null = null;
  while (cursor.advance()) {
    const line = cursor.line();
    const lineNumber = cursor.index + 1;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('!:')) continue;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      section = trimmed.slice(1, -1).trim().toLowerCase();
      if (section === 'events') sawEvents = true;
      if (!SECTIONS.has(section))
        problems.push(
          problem(lineNumber, 1, 'unknown_section', 'warning', `Unknown section "${trimmed}"; its lines are skipped.`),
        );
      continue;
    }
    if (section !== 'events') continue;
    const colon = line.indexOf(':');
    if (colon < 0) {
      problems.push(
        problem(
          lineNumber,
          1,
          'bad_event',
          'warning',
          'A line of [Events] should start with "Format:", "Dialogue:" or "Comment:"; it is skipped.',
        ),
      );
      continue;
    }
    const kind = line.slice(0, colon).trim().toLowerCase();
    const rest = line.slice(colon + 1);
    if (kind === 'format') {
      format = rest.split(',').map((field) => field.trim().toLowerCase());
      if (!format.includes('start') || !format.includes('end') || format.at(-1) !== 'text') {
        problems.push(
          problem(
            lineNumber,
            colon + 2,
            'bad_format_line',
            'error',
            'The Format line must name Start, End and, last, Text; the dialogue cannot be read.',
          ),
        );
        format = null;
      }
      continue;
    }
    if (kind !== 'dialogue') continue;
    if (!format) {
      problems.push(
        problem(
          lineNumber,
          1,
          'missing_format_line',
          'warning',
          'No Format line before this dialogue; the usual ASS fields (Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text) are assumed.',
        ),
      );
      format = DEFAULT_FORMAT;
    }
    const fields: string[] = [];
    const columns: number[] = [];
    let at = colon + 1;
    for (let f = 0; f < format.length - 1; f++) {
      const comma = line.indexOf(',', at);
      if (comma < 0) break;
      fields.push(line.slice(at, comma));
      columns.push(at + 1);
      at = comma + 1;
    }
    if (fields.length < format.length - 1) {
      problems.push(
        problem(
          lineNumber,
          line.length + 1,
          'missing_field',
          'error',
          `This dialogue has ${fields.length + 1} fields where the Format line names ${format.length}; it is skipped.`,
        ),
      );
      continue;
    }
    const startIndex = format.indexOf('start');
    const endIndex = format.indexOf('end');
    const startTime = readTime(fields[startIndex]!);
    const endTime = readTime(fields[endIndex]!);
    if (startTime === null || endTime === null) {
      const column = startTime === null ? columns[startIndex]! : columns[endIndex]!;
      problems.push(
        problem(
          lineNumber,
          column,
          'bad_timestamp',
          'error',
          'Times in ASS look like 0:00:01.50 (hours:minutes:seconds.centiseconds); this dialogue is skipped.',
        ),
      );
      continue;
    }
    if (endTime <= startTime) {
      problems.push(
        problem(
          lineNumber,
          columns[endIndex]!,
          'end_before_start',
          'warning',
          'The dialogue ends before it starts, so it is never shown.',
        ),
      );
    }
    cues.push({
      cue: { id: '', startTime, endTime, text: assTextToCueText(line.slice(at)), settings: defaultCueSettings() },
      order: cues.length,
    });
  }
  if (!sawEvents)
    problems.push(
      problem(1, 1, 'missing_events', 'error', 'The file has no [Events] section, so it has no dialogue to read.'),
    );
  cues.sort((a, b) => a.cue.startTime - b.cue.startTime || a.order - b.order);
  return { format: 'ass', cues: cues.map((entry) => entry.cue), problems: sortProblems(problems) };
}

/** How burned-in subtitles look: the font (one that has the language's script), its size and the picture size it is laid out for. */
export interface AssStyle {
  fontName: string;
  fontSize: number;
  playResX: number;
  playResY: number;
}

const assTime = (seconds: number) => {
  const total = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(total / 360_000);
  const m = Math.floor(total / 6000) % 60;
  const s = Math.floor(total / 100) % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(total % 100).padStart(2, '0')}`;
};

/** One cue's text as ASS dialogue text: <i>/<b>/<u> as overrides, other tags dropped, line breaks as \N, braces kept as text. */
function assDialogueText(text: string): string {
  return text
    .split(/(<\/?[ibu](?:\.[^>]*)?>|<[^>]*>)/)
    .map((part) => {
      const tag = /^<(\/?)([ibu])[.>]/.exec(part);
      if (tag) return `{\\${tag[2]}${tag[1] ? 0 : 1}}`;
      if (part.startsWith('<')) return '';
      return plainText(part)
        .replace(/[{}]/g, (brace) => (brace === '{' ? '（' : '）'))
        .replace(/\r?\n/g, '\\N');
    })
    .join('');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };
const plainText = (text: string) => text.replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, (_, name: string) => ENTITIES[name]!);

/** Writes cues as an ASS script for burning into a video: white text, a dark outline and shadow, bottom centre. */
export function writeASS(cues: readonly Cue[], style: AssStyle): string {
  const margin = Math.round(style.playResY * 0.05);
  const lines = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${style.playResX}`,
    `PlayResY: ${style.playResY}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Default,${style.fontName.replace(/,/g, ' ')},${style.fontSize},&H00FFFFFF,&H000000FF,&H00101010,&H80000000,0,0,0,0,100,100,0,0,1,${Math.max(1, Math.round(style.fontSize / 16))},1,2,${margin},${margin},${margin},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  for (const cue of cues) {
    if (cue.endTime <= cue.startTime || cue.text.trim() === '') continue;
    lines.push(
      `Dialogue: 0,${assTime(cue.startTime)},${assTime(cue.endTime)},Default,,0,0,0,,${assDialogueText(cue.text)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
