// What changed in a source sentence, word by word, for the translator whose translation it outdated.

/** A run of words kept, added or removed, in order. */
export interface WordChange {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Words, spaces and punctuation as separate tokens, by the language's own word rules (CJK has no spaces). */
function tokens(text: string, language: string): string[] {
  const segmenter = new Intl.Segmenter(language, { granularity: 'word' });
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/**
 * The changes from `before` to `after`, word by word (a longest common subsequence: sentences are
 * short). Runs of one kind are joined; removed text comes before what replaced it.
 */
export function wordDiff(before: string, after: string, language = 'en'): WordChange[] {
  const a = tokens(before, language);
  const b = tokens(after, language);
  // lengths[i][j]: the longest common subsequence of a[i…] and b[j…].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const changes: WordChange[] = [];
  const add = (kind: WordChange['kind'], text: string) => {
    const last = changes.at(-1);
    if (last?.kind === kind) last.text += text;
    else changes.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      add('same', a[i++]!);
      j++;
    } else if (j >= b.length || (i < a.length && lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) add('removed', a[i++]!);
    else add('added', b[j++]!);
  }
  return changes;
}
