import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSubtitleBytes } from '../../../src/domain/subtitles/index.ts';

// Uploaded bytes: UTF-8 (BOM or not) and UTF-16 (BOM, or BOM-less from the NUL bytes) are read;
// anything else is refused with the line and column of the first byte that cannot be read.

const TEXT = '1\r\n00:00:01,000 --> 00:00:02,000\r\nمرحبا، 日本語 🌊\r\n';
const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'utf8')] : part)));
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  return new Uint8Array(le.length).map((_, i) => le[i ^ 1]!);
};
const problemAt = (input: Uint8Array) => {
  const result = decodeSubtitleBytes(input);
  assert.ok('problem' in result, 'expected a problem');
  return result.problem;
};

test('UTF-8 is read with or without a byte order mark', () => {
  assert.deepEqual(decodeSubtitleBytes(bytes(TEXT)), { text: TEXT });
  assert.deepEqual(decodeSubtitleBytes(bytes([0xef, 0xbb, 0xbf], TEXT)), { text: TEXT });
  assert.deepEqual(decodeSubtitleBytes(new Uint8Array()), { text: '' });
  assert.deepEqual(decodeSubtitleBytes(bytes('WEBVTT\0x')), { text: 'WEBVTT\0x' });
});

test('UTF-16 is read with a byte order mark, or without one when every other byte is NUL', () => {
  const le = new Uint8Array(Buffer.from(TEXT, 'utf16le'));
  assert.deepEqual(decodeSubtitleBytes(new Uint8Array([0xff, 0xfe, ...le])), { text: TEXT });
  assert.deepEqual(decodeSubtitleBytes(new Uint8Array([0xfe, 0xff, ...utf16be(TEXT)])), { text: TEXT });
  assert.deepEqual(decodeSubtitleBytes(le), { text: TEXT });
  assert.deepEqual(decodeSubtitleBytes(utf16be(TEXT)), { text: TEXT });
  const japanese = `1\n00:00:01,000 --> 00:00:02,000\n${'川の学校は夜明けに開きます。'.repeat(3)}\n`;
  assert.deepEqual(decodeSubtitleBytes(new Uint8Array(Buffer.from(japanese, 'utf16le'))), { text: japanese });
});

test('Latin-1, Windows-1256 and Shift JIS bytes are refused at the first bad byte', () => {
  const latin1 = problemAt(bytes('WEBVTT\n\n00:00.000 --> 00:01.000\nCaf', [0xe9], ' crème'));
  assert.deepEqual(
    { ...latin1, message: '' },
    { line: 4, column: 4, code: 'invalid_encoding', severity: 'error', message: '' },
  );
  assert.match(latin1.message, /byte 0xE9 at line 4, column 4/);
  assert.match(latin1.message, /Save the file as UTF-8 \(or UTF-16\)/);
  const arabic1256 = problemAt(bytes('1\r\n00:00:01,000 --> 00:00:02,000\r\n', [0xe3, 0xd1, 0xcd, 0xc8, 0xc7]));
  assert.deepEqual([arabic1256.line, arabic1256.column], [3, 1]);
  const shiftJis = problemAt(bytes('日本', [0x93, 0xfa, 0x96, 0x7b]));
  assert.deepEqual([shiftJis.line, shiftJis.column], [1, 3]);
  const afterCr = problemAt(bytes('a\rb\r\n\nc', [0xff]));
  assert.deepEqual([afterCr.line, afterCr.column], [4, 2]);
});

test('invalid UTF-8 sequences are found where they start', () => {
  const at = (...parts: (string | number[])[]) => (({ line, column }) => [line, column])(problemAt(bytes(...parts)));
  assert.deepEqual(at('ab', [0xe6, 0x97]), [1, 3]);
  assert.deepEqual(at('ab', [0xc0, 0xaf]), [1, 3]);
  assert.deepEqual(at('ab', [0xed, 0xa0, 0x80]), [1, 3]);
  assert.deepEqual(at('ab', [0xf4, 0x90, 0x80, 0x80]), [1, 3]);
  assert.deepEqual(at('ab', [0x80]), [1, 3]);
  assert.deepEqual(at('🌊x\n', [0xf0, 0x9f, 0x8c]), [2, 1]);
  assert.deepEqual(at([0xef, 0xbb, 0xbf], 'ab', [0xfe]), [1, 3]);
});

test('damaged UTF-16 is refused too', () => {
  const loneSurrogate = problemAt(
    new Uint8Array([0xff, 0xfe, ...Buffer.from('a\nb', 'utf16le'), 0x00, 0xd8, 0x41, 0x00]),
  );
  assert.deepEqual([loneSurrogate.line, loneSurrogate.column, loneSurrogate.code], [2, 2, 'invalid_encoding']);
  assert.match(loneSurrogate.message, /UTF-16/);
  const oddLength = problemAt(new Uint8Array([0xfe, 0xff, 0x00, 0x61, 0x00]));
  assert.deepEqual([oddLength.line, oddLength.column], [1, 2]);
});
