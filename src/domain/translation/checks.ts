// Checks of a translated unit against its source, as translation platforms run them before a save:
// errors block the save, warnings are shown and may be kept. Every problem has a stable code and a
// message key with its parameters, so the editor and the server say the same thing in any language.

export type CheckSeverity = 'error' | 'warning';

export interface TranslationProblem {
  code:
    | 'numbers_missing'
    | 'numbers_added'
    | 'end_punctuation'
    | 'outer_spaces'
    | 'double_space'
    | 'length'
    | 'unchanged'
    | 'empty';
  severity: CheckSeverity;
  /** What to show: the numbers missing or added, the punctuation expected… */
  details?: string[];
}

/** The target may be this much longer or shorter than the source before its length is questioned (scripts differ). */
const LENGTH_RATIO = { min: 0.3, max: 3 };

// Digits of every script read as numbers (Arabic-Indic ٣, Devanagari ३, full-width ３ are all 3); the
// decimal separators of the scripts read alike.
function numbersIn(text: string): string[] {
  return Array.from(text.matchAll(/\p{Nd}+(?:[.,٫]\p{Nd}+)*/gu), ([number]) =>
    Array.from(number, (character) => (/\p{Nd}/u.test(character) ? digitValue(character) : '.')).join(''),
  ).sort();
}

/** The value of a decimal digit of any script: its distance from the zero its run of ten digits starts at. */
function digitValue(character: string): string {
  const code = character.codePointAt(0)!;
  let zero = code;
  while (code - zero < 9 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return String(code - zero);
}

/** Sentence-ending punctuation, by meaning: a full stop in any script is a full stop. */
function endOf(text: string): 'stop' | 'question' | 'exclamation' | 'colon' | 'ellipsis' | 'none' {
  const last =
    text
      .trimEnd()
      .replace(/[\s"'”’»」』）)\]\uE000-\uF8FF\d]+$/u, '')
      .at(-1) ?? '';
  if ('.。।॥۔'.includes(last)) return 'stop';
  if ('?？؟'.includes(last)) return 'question';
  if ('!！'.includes(last)) return 'exclamation';
  if (':：'.includes(last)) return 'colon';
  if ('…'.includes(last)) return 'ellipsis';
  return 'none';
}

const difference = (from: readonly string[], take: readonly string[]) => {
  const rest = [...take];
  return from.filter((item) => {
    const index = rest.indexOf(item);
    if (index === -1) return true;
    rest.splice(index, 1);
    return false;
  });
};

/** Every problem of `target` as a translation of `source` (an empty target is untranslated, not checked further). */
export function checkTranslation(source: string, target: string): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  if (!target.trim()) return [{ code: 'empty', severity: 'error' }];
  const sourceNumbers = numbersIn(source);
  const targetNumbers = numbersIn(target);
  const missing = difference(sourceNumbers, targetNumbers);
  const added = difference(targetNumbers, sourceNumbers);
  if (missing.length) problems.push({ code: 'numbers_missing', severity: 'warning', details: missing });
  if (added.length) problems.push({ code: 'numbers_added', severity: 'warning', details: added });
  const sourceEnd = endOf(source);
  const targetEnd = endOf(target);
  if (sourceEnd !== targetEnd)
    problems.push({ code: 'end_punctuation', severity: 'warning', details: [sourceEnd, targetEnd] });
  if (target !== target.trim()) problems.push({ code: 'outer_spaces', severity: 'warning' });
  if (/ {2,}/.test(target) && !/ {2,}/.test(source)) problems.push({ code: 'double_space', severity: 'warning' });
  const ratio = [...target].length / Math.max(1, [...source].length);
  if ([...source].length >= 20 && (ratio < LENGTH_RATIO.min || ratio > LENGTH_RATIO.max))
    problems.push({ code: 'length', severity: 'warning', details: [ratio.toFixed(1)] });
  if (target.trim() === source.trim() && /\p{L}{3}/u.test(source))
    problems.push({ code: 'unchanged', severity: 'warning' });
  return problems;
}
