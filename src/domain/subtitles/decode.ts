import type { SubtitleProblem } from './cue.ts';
import { problem } from './lines.ts';

// Uploaded subtitle files are bytes. WebVTT is UTF-8 by definition; SRT files in the wild are
// UTF-8 or UTF-16 (with a byte order mark, or without one from some Windows tools). Anything
// else (Latin-1, Windows-1256, Shift JIS…) is refused with the position of the first bad byte,
// rather than guessed at and shown as mojibake.

type Encoding = { label: 'utf-8' | 'utf-16le' | 'utf-16be'; bom: number };

const SAVE_AS = 'Save the file as UTF-8 (or UTF-16) in your editor and upload it again.';

/** Decodes an uploaded subtitle file as UTF-8 or UTF-16, or explains where it is not valid. */
export function decodeSubtitleBytes(bytes: Uint8Array): { text: string } | { problem: SubtitleProblem } {
  const encoding = detectEncoding(bytes);
  try {
    return { text: new TextDecoder(encoding.label, { fatal: true }).decode(bytes) };
  } catch {
    const at = encoding.label === 'utf-8' ? firstBadUtf8(bytes, encoding.bom) : firstBadUtf16(bytes, encoding);
    const prefix = new TextDecoder(encoding.label, { ignoreBOM: true }).decode(bytes.subarray(encoding.bom, at));
    const { line, column } = endPosition(prefix);
    const message =
      encoding.label === 'utf-8'
        ? `The file is not valid UTF-8: the byte 0x${hex(bytes[at])} at line ${line}, column ${column} cannot be read (the file may use an older encoding such as Latin-1). ${SAVE_AS}`
        : `The file looks like UTF-16 but is damaged at line ${line}, column ${column}. ${SAVE_AS}`;
    return { problem: problem(line, column, 'invalid_encoding', 'error', message) };
  }
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).toUpperCase().padStart(2, '0');
}

/** The encoding from the byte order mark; without one, UTF-16 when many bytes at odd (or even) offsets are NUL and almost none at the others. */
function detectEncoding(bytes: Uint8Array): Encoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: 'utf-8', bom: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', bom: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', bom: 2 };
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return { label: 'utf-8', bom: 0 };
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (oddZeros >= Math.max(pairs * 0.2, 4) && evenZeros <= pairs * 0.05) return { label: 'utf-16le', bom: 0 };
  if (evenZeros >= Math.max(pairs * 0.2, 4) && oddZeros <= pairs * 0.05) return { label: 'utf-16be', bom: 0 };
  return { label: 'utf-8', bom: 0 };
}

/** The offset of the first byte of the first invalid UTF-8 sequence (the WHATWG decoder's rules). */
function firstBadUtf8(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let needed: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= needed; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < low || byte > high) return i;
      low = 0x80;
      high = 0xbf;
    }
    i += needed + 1;
  }
  return bytes.length;
}

/** The offset of the first unpaired surrogate or odd trailing byte in UTF-16. */
function firstBadUtf16(bytes: Uint8Array, encoding: Encoding): number {
  const unit = (at: number) =>
    encoding.label === 'utf-16le' ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!;
  let i = encoding.bom;
  while (i < bytes.length) {
    if (i + 1 >= bytes.length) return i;
    const code = unit(i);
    if (code >= 0xdc00 && code <= 0xdfff) return i;
    if (code >= 0xd800 && code <= 0xdbff) {
      if (i + 3 >= bytes.length) return i;
      const next = unit(i + 2);
      if (next < 0xdc00 || next > 0xdfff) return i;
      i += 4;
    } else i += 2;
  }
  return bytes.length;
}

/** The 1-based line and column just after `text` (line breaks: CRLF, LF, CR). */
function endPosition(text: string): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    if (code === 0x0a || code === 0x0d) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: text.length - lineStart + 1 };
}
