import type { Placeholder } from '../../domain/stories/placeholders.ts';
import { PLACEHOLDER_PATTERN, placeholder } from '../../domain/translation/markers.ts';

// A unit's placeholder markers ("\uE000N\uE001", invisible in a text field) as readable tokens in
// the translation's text area, and back, exactly. Tokens are numbered by tag pair in the order the
// source shows them, from 1: "⟦1⟧" opens the first pair and "⟦/1⟧" closes it, whatever the markers'
// numbers in the block are. A marker the source does not have (a translation of an older source)
// reads "⟦#N⟧" with its own number, so nothing is lost on the way back.

export type PlaceholderKind = 'em' | 'strong' | 'link';

/** One marker of the source as the translator sees it. */
export interface PlaceholderToken {
  /** The marker's number in the block's placeholder list. */
  index: number;
  /** The pair's number in this unit, from 1. */
  pair: number;
  closing: boolean;
  kind: PlaceholderKind;
  href?: string;
  /** What the text area shows: "⟦1⟧" or "⟦/1⟧". */
  token: string;
}

/** A pair of tokens (or a lone one, when the other half lies in another sentence of the block). */
export interface PlaceholderPair {
  pair: number;
  kind: PlaceholderKind;
  href?: string;
  open?: PlaceholderToken;
  close?: PlaceholderToken;
}

const MARKERS = () => new RegExp(PLACEHOLDER_PATTERN.source, 'gu');
const TOKENS = /⟦(\/?)(\d+)⟧|⟦#(\d+)⟧/gu;

const kindOf = (placeholder: Placeholder): PlaceholderKind =>
  placeholder.kind.slice(0, placeholder.kind.indexOf('-')) as PlaceholderKind;

/** The marker numbers of a text, in order. */
export function markerIndexes(text: string): number[] {
  return Array.from(text.matchAll(MARKERS()), (match) => Number(match[1]));
}

/** The number of the marker that closes (or opens) each marker of the block. */
function partners(placeholders: readonly Placeholder[]): Map<number, number> {
  const partner = new Map<number, number>();
  const opened: number[] = [];
  placeholders.forEach((item, index) => {
    if (item.kind.endsWith('-open')) opened.push(index);
    else {
      const opening = opened.pop();
      if (opening !== undefined) partner.set(opening, index).set(index, opening);
    }
  });
  return partner;
}

/** The source's markers as tokens, in source order. */
export function sourceTokens(source: string, placeholders: readonly Placeholder[]): PlaceholderToken[] {
  const partner = partners(placeholders);
  const inSource = new Set(markerIndexes(source));
  const pairOf = new Map<number, number>();
  const tokens: PlaceholderToken[] = [];
  let pairs = 0;
  for (const index of inSource) {
    const item = placeholders[index];
    if (!item) continue;
    const other = partner.get(index);
    const pair = pairOf.get(index) ?? ++pairs;
    if (other !== undefined && inSource.has(other)) pairOf.set(other, pair);
    const closing = !item.kind.endsWith('-open');
    tokens.push({
      index,
      pair,
      closing,
      kind: kindOf(item),
      ...(item.kind === 'link-open' ? { href: item.href } : {}),
      token: `⟦${closing ? '/' : ''}${pair}⟧`,
    });
  }
  return tokens;
}

/** The tokens grouped by pair, in pair order. */
export function tokenPairs(tokens: readonly PlaceholderToken[]): PlaceholderPair[] {
  const pairs = new Map<number, PlaceholderPair>();
  for (const token of tokens) {
    const pair = pairs.get(token.pair) ?? { pair: token.pair, kind: token.kind };
    if (token.href) pair.href = token.href;
    if (token.closing) pair.close = token;
    else pair.open = token;
    pairs.set(token.pair, pair);
  }
  return [...pairs.values()].sort((a, b) => a.pair - b.pair);
}

/** A unit text with markers as the text area shows it. */
export function toEditable(text: string, tokens: readonly PlaceholderToken[]): string {
  const byIndex = new Map(tokens.map((token) => [token.index, token.token]));
  return text.replace(MARKERS(), (_, index: string) => byIndex.get(Number(index)) ?? `⟦#${index}⟧`);
}

/** The text area's text with its tokens turned back into markers; anything else stays as typed. */
export function fromEditable(value: string, tokens: readonly PlaceholderToken[]): string {
  const byToken = new Map(tokens.map((token) => [token.token, token.index]));
  return value.replace(
    TOKENS,
    (whole, slash: string | undefined, pair: string | undefined, raw: string | undefined) => {
      if (raw !== undefined) return placeholder(Number(raw));
      const index = byToken.get(`⟦${slash ?? ''}${pair}⟧`);
      return index === undefined ? whole : placeholder(index);
    },
  );
}

/**
 * What inserting pair `pair` into `value` at the selection does: a selection is wrapped in both
 * tokens; otherwise the first token of the pair the text lacks goes in at the cursor (press twice
 * to open and then close around what was typed between). Null when the pair is complete already.
 */
export function insertion(
  value: string,
  start: number,
  end: number,
  pair: PlaceholderPair,
): { from: number; to: number; text: string } | null {
  const missing = [pair.open, pair.close].filter(
    (token): token is PlaceholderToken => token !== undefined && !value.includes(token.token),
  );
  if (!missing.length) return null;
  if (start !== end && missing.length === 2)
    return { from: start, to: end, text: missing[0]!.token + value.slice(start, end) + missing[1]!.token };
  return { from: end, to: end, text: missing[0]!.token };
}

/**
 * A suggestion's target with its markers renumbered for this unit: the n-th marker of the
 * suggestion's source stands for the n-th marker of the unit's source (a memory match comes from
 * another block, numbered its own way). A marker with no counterpart is dropped, so the checks
 * report it missing rather than invented.
 */
export function adaptMarkers(suggestionSource: string, suggestionTarget: string, unitSource: string): string {
  const from = markerIndexes(suggestionSource);
  const to = markerIndexes(unitSource);
  const mapping = new Map<number, number>();
  from.forEach((index, position) => {
    if (position < to.length) mapping.set(index, to[position]!);
  });
  return suggestionTarget.replace(MARKERS(), (_, index: string) => {
    const mapped = mapping.get(Number(index));
    return mapped === undefined ? '' : placeholder(mapped);
  });
}

/** The text without its markers. */
export function withoutMarkers(text: string): string {
  return text.replace(MARKERS(), '');
}
