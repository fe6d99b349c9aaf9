// The part of Codex's stylesheet that the server-rendered pages use: Codex ships one stylesheet for
// every component (about 170 KB), while the pages use a few components (buttons, fields, messages,
// tables). Read with postcss; a rule is kept for those of its selectors whose Codex classes the pages
// all use, so what is dropped is what no page can match.
import postcss, { type AtRule, type Rule } from 'postcss';
import { codexClassMatcher } from '../src/http/assets.ts';

const CODEX_CLASS = /\.(cdx-[\w-]+)/g;
// A class inside :not(…) is not needed for the selector to match (":not(.cdx-x)" matches without it).
const NEGATION = /:not\((?:[^()]|\([^()]*\))*\)/g;

/** True when every Codex class the selector needs is used (`used` names a class, or a prefix ending in "-"). */
function selectorIsUsed(selector: string, isUsed: (name: string) => boolean): boolean {
  for (const match of selector.replace(NEGATION, '').matchAll(CODEX_CLASS)) if (!isUsed(match[1]!)) return false;
  return true;
}

/** Codex's stylesheet with only the rules (and selectors) that elements with the used classes can match. */
export function codexSubset(css: string, used: Iterable<string>): string {
  const isUsed = codexClassMatcher(used);
  const root = postcss.parse(css);
  root.walkRules((rule: Rule) => {
    if (rule.parent?.type === 'atrule' && /keyframes$/i.test((rule.parent as AtRule).name)) return;
    const kept = rule.selectors.filter((selector) => selectorIsUsed(selector, isUsed));
    if (kept.length === 0) rule.remove();
    else if (kept.length < rule.selectors.length) rule.selectors = kept;
  });
  // Conditional groups left empty, then animations that no kept rule names.
  for (let removed = true; removed;) {
    removed = false;
    root.walkAtRules((atRule: AtRule) => {
      if (/keyframes$/i.test(atRule.name) || atRule.nodes?.length !== 0) return;
      atRule.remove();
      removed = true;
    });
  }
  let animations = '';
  root.walkDecls(/^(-webkit-)?animation(-name)?$/i, (declaration) => {
    animations += ` ${declaration.value}`;
  });
  root.walkAtRules(/keyframes$/i, (atRule: AtRule) => {
    if (!new RegExp(`(^|[\\s,])${atRule.params.trim()}($|[\\s,])`).test(animations)) atRule.remove();
  });
  return root.toString();
}
