import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { html as bound } from 'htm/preact';

/**
 * Tagged templates that build Preact elements: every interpolated value is text and is
 * escaped when rendered, so nothing a visitor typed can become markup.
 */
export const html = bound as (strings: TemplateStringsArray, ...values: unknown[]) => VNode;

export function renderDocument(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}
export type { VNode };
