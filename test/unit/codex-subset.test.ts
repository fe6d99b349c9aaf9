import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codexSubset } from '../../scripts/codex-subset.ts';
import { codexClassMatcher } from '../../src/http/assets.ts';

// The part of Codex the pages use: rules kept for the selectors whose Codex classes are all used.
const CSS = `.cdx-button{color:red}
.cdx-button:not(.cdx-button--weight-quiet):hover{color:blue}
.cdx-menu,.cdx-button--action-progressive{color:green}
.cdx-menu .cdx-button{color:gray}
.cdx-message--error,.cdx-message--notice{border:1px solid}
@media (min-width:640px){.cdx-dialog{width:50%}@supports (display:grid){.cdx-dialog{display:grid}}}
@media (min-width:640px){.cdx-button{max-width:28em}}
.cdx-spinner{animation:cdx-spin 1s}
@keyframes cdx-spin{0%{opacity:0}to{opacity:1}}
.cdx-button--pending{animation:cdx-pulse 1s}
@keyframes cdx-pulse{0%{opacity:0}to{opacity:1}}
:root{--cdx-x:1px}`;

test('a rule is kept for the selectors whose Codex classes the pages all use, :not() aside', () => {
  const subset = codexSubset(CSS, [
    'cdx-button',
    'cdx-button--action-progressive',
    'cdx-message--',
    'cdx-button--pending',
  ]);
  assert.equal(
    subset,
    `.cdx-button{color:red}
.cdx-button:not(.cdx-button--weight-quiet):hover{color:blue}
.cdx-button--action-progressive{color:green}
.cdx-message--error,.cdx-message--notice{border:1px solid}
@media (min-width:640px){.cdx-button{max-width:28em}}
.cdx-button--pending{animation:cdx-pulse 1s}
@keyframes cdx-pulse{0%{opacity:0}to{opacity:1}}
:root{--cdx-x:1px}`,
  );
});

test('a used name ending in "-" is a prefix a template completes', () => {
  const isUsed = codexClassMatcher(['cdx-message--', 'cdx-label']);
  assert.ok(isUsed('cdx-message--warning'));
  assert.ok(isUsed('cdx-label'));
  assert.ok(!isUsed('cdx-label__label'));
  assert.ok(!isUsed('cdx-message'));
});
