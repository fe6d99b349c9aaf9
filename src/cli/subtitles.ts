import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkCues,
  decodeSubtitleBytes,
  defaultSubtitleLimits,
  detectFormat,
  parseSubtitles,
  writeSubtitles,
  SUBTITLE_FORMATS,
  WRITABLE_SUBTITLE_FORMATS,
  type Cue,
  type ParseResult,
  type SubtitleFormat,
  type SubtitleProblem,
  type WritableSubtitleFormat,
} from '../domain/subtitles/index.ts';
import { formatTimestamp } from '../domain/subtitles/lines.ts';

// `storyhub subtitles`: read, convert and check subtitle files without a database. Exit codes:
// 0 fine, 1 the file has errors (or breaks a quality rule of severity error), 2 the command could
// not do its work (usage, unreadable file, unknown format), always with one line and no stack trace.

export const SUBTITLES_USAGE = `Usage: storyhub subtitles <command>
  parse FILE [--format F] [--json]        list the cues of a subtitle file and every problem in it
  convert FILE --to F [--format F] [--lang CODE] [-o OUT]
                                          convert to ${WRITABLE_SUBTITLE_FORMATS.join(', ')} (stdout without -o)
  check FILE --lang CODE [--format F] [--json]
                                          check the cues against the language's default subtitle limits
Formats read: ${SUBTITLE_FORMATS.join(', ')}.`;

/** A failure of the command itself (not of the file's content): one line on stderr, exit code 2. */
class CommandError extends Error {}

const EXTENSIONS: Record<string, SubtitleFormat> = {
  vtt: 'vtt',
  webvtt: 'vtt',
  srt: 'srt',
  sbv: 'sbv',
  ttml: 'ttml',
  dfxp: 'ttml',
  xml: 'ttml',
  ass: 'ass',
  ssa: 'ass',
};

function requestedFormat(requested: string | undefined): SubtitleFormat | undefined {
  if (requested === undefined || SUBTITLE_FORMATS.includes(requested as SubtitleFormat))
    return requested as SubtitleFormat | undefined;
  throw new CommandError(`Unknown format "${requested}"; use one of ${SUBTITLE_FORMATS.join(', ')}.`);
}

function chooseFormat(text: string, file: string, requested: SubtitleFormat | undefined): SubtitleFormat {
  if (requested) return requested;
  const format = detectFormat(text, path.basename(file)) ?? EXTENSIONS[path.extname(file).slice(1).toLowerCase()];
  if (!format)
    throw new CommandError(
      `Cannot tell the format of ${file}; name it with --format (${SUBTITLE_FORMATS.join(', ')}).`,
    );
  return format;
}

/** Reads and parses a file; a file that cannot be decoded becomes a result with that one error. */
async function readSubtitleFile(file: string, formatOption: string | undefined): Promise<ParseResult> {
  const requested = requestedFormat(formatOption);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CommandError(`Cannot read ${file}: ${reason}.`);
  }
  const decoded = decodeSubtitleBytes(bytes);
  // Undecodable bytes are the file's fault, reported like any other error in it.
  if ('problem' in decoded)
    return {
      format: requested ?? EXTENSIONS[path.extname(file).slice(1).toLowerCase()] ?? 'vtt',
      cues: [],
      problems: [decoded.problem],
    };
  const format = chooseFormat(decoded.text, file, requested);
  try {
    return parseSubtitles(decoded.text, format);
  } catch (error) {
    throw new CommandError(`Cannot read ${file} as ${format}: ${(error as Error).message}.`);
  }
}

const hasErrors = (problems: readonly SubtitleProblem[]) => problems.some((problem) => problem.severity === 'error');
const located = (file: string, problem: SubtitleProblem) =>
  `${file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message} (${problem.code})`;
const time = (seconds: number) => formatTimestamp(seconds, '.');
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A cue as the browser's VTTCue has it: the settings flattened beside the times and text. */
function asVttCue(cue: Cue) {
  return { id: cue.id, startTime: cue.startTime, endTime: cue.endTime, text: cue.text, ...cue.settings };
}

interface Options {
  format?: string | undefined;
  json?: boolean | undefined;
  to?: string | undefined;
  output?: string | undefined;
  lang?: string | undefined;
}

async function parse(file: string, options: Options): Promise<number> {
  const result = await readSubtitleFile(file, options.format);
  const failed = hasErrors(result.problems);
  if (options.json) {
    const errors = result.problems.map(({ line, column, code, message, severity }) => ({
      line,
      column,
      code,
      message,
      severity,
    }));
    print(
      JSON.stringify(
        {
          format: result.format,
          cues: result.cues.map(asVttCue),
          errors,
          ...(result.regions?.length ? { regions: result.regions } : {}),
        },
        null,
        2,
      ),
    );
    return failed ? 1 : 0;
  }
  const { cues, problems } = result;
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const span = cues.length
    ? ` from ${time(cues[0]!.startTime)} to ${time(cues.reduce((latest, cue) => Math.max(latest, cue.endTime), 0))}`
    : '';
  print(
    `${file}: ${result.format}, ${count(cues.length, 'cue', 'cues')}${span}; ${count(errors, 'error', 'errors')}, ${count(problems.length - errors, 'warning', 'warnings')}`,
  );
  for (const problem of problems) print(located(file, problem));
  return failed ? 1 : 0;
}

async function convert(file: string, options: Options): Promise<number> {
  const target = options.to;
  if (!target) throw new CommandError(`Say which format to write with --to (${WRITABLE_SUBTITLE_FORMATS.join(', ')}).`);
  if (!WRITABLE_SUBTITLE_FORMATS.includes(target as WritableSubtitleFormat)) {
    throw new CommandError(`Cannot write "${target}"; storyhub writes ${WRITABLE_SUBTITLE_FORMATS.join(', ')}.`);
  }
  const result = await readSubtitleFile(file, options.format);
  for (const problem of result.problems) process.stderr.write(`${located(file, problem)}\n`);
  if (hasErrors(result.problems)) {
    process.stderr.write(`${file} has errors; nothing was converted.\n`);
    return 1;
  }
  let output: string;
  try {
    output = writeSubtitles(
      result.cues,
      target as WritableSubtitleFormat,
      options.lang ? { language: options.lang } : {},
    );
  } catch (error) {
    throw new CommandError(`Cannot write ${target}: ${(error as Error).message}.`);
  }
  if (!options.output) {
    process.stdout.write(output);
    return 0;
  }
  try {
    await writeFile(options.output, output);
  } catch (error) {
    throw new CommandError(
      `Cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  return 0;
}

async function check(file: string, options: Options): Promise<number> {
  const language = options.lang?.trim();
  if (!language)
    throw new CommandError(
      'Say whose limits to check against with --lang (a language code such as en, ja or zh-hans).',
    );
  const result = await readSubtitleFile(file, options.format);
  for (const problem of result.problems) process.stderr.write(`${located(file, problem)}\n`);
  if (hasErrors(result.problems)) {
    process.stderr.write(`${file} has errors; fix them before checking its quality.\n`);
    return 1;
  }
  const limits = defaultSubtitleLimits(language);
  const problems = checkCues(result.cues, limits, language);
  if (options.json) {
    print(JSON.stringify({ language, limits, problems }, null, 2));
  } else {
    for (const problem of problems) {
      const cue = result.cues[problem.cue]!;
      print(
        `cue ${problem.cue + 1} (${time(cue.startTime)}→${time(cue.endTime)}): ${problem.message} [${problem.severity}]`,
      );
    }
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    print(
      `${file}: ${count(result.cues.length, 'cue', 'cues')} checked against the ${language} limits; ${count(errors, 'error', 'errors')}, ${count(problems.length - errors, 'warning', 'warnings')}`,
    );
  }
  return problems.some((problem) => problem.severity === 'error') ? 1 : 0;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

const COMMANDS = { parse, convert, check } as const;

/** Runs `storyhub subtitles …` and returns the exit code. */
export async function subtitlesCommand(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    print(SUBTITLES_USAGE);
    return command ? 0 : 2;
  }
  try {
    if (!Object.hasOwn(COMMANDS, command))
      throw new CommandError(`Unknown subtitles command "${command}".\n${SUBTITLES_USAGE}`);
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        strict: true,
        options: {
          format: { type: 'string' },
          json: { type: 'boolean' },
          to: { type: 'string' },
          output: { type: 'string', short: 'o' },
          lang: { type: 'string' },
        },
      });
    } catch (error) {
      throw new CommandError(`${(error as Error).message}\n${SUBTITLES_USAGE}`);
    }
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length)
      throw new CommandError(`storyhub subtitles ${command} takes one file.\n${SUBTITLES_USAGE}`);
    return await COMMANDS[command as keyof typeof COMMANDS](file, parsed.values);
  } catch (error) {
    process.stderr.write(
      `storyhub subtitles: ${error instanceof CommandError ? error.message : `unexpected failure: ${(error as Error).message}`}\n`,
    );
    return 2;
  }
}
