import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Engine } from '../../src/store/database.ts';
import { PASSWORD, startTestSite, type TestSite } from './app.ts';

const require = createRequire(import.meta.url);

/**
 * Debian's Chromium (or CHROMIUM_PATH), never a browser downloaded by Playwright.
 * Playwright gives every launch a fresh, throw-away profile.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface BrowserSite {
  site: TestSite;
  /** "http://127.0.0.1:PORT", without a trailing slash. */
  baseUrl: string;
  /** An absolute address on the site: url('/en/stories'). */
  url(pathname: string): string;
  close(): Promise<void>;
}

/**
 * A test site on a fresh database, listening on a free port of 127.0.0.1 so a real browser can
 * reach it. Sign-in is not rate limited: browser tests sign in many times a minute.
 */
export async function startBrowserSite(
  engine: Engine = 'embedded',
  env: Record<string, string> = {},
): Promise<BrowserSite> {
  const site = await startTestSite(engine, { SIGN_IN_RATE_LIMIT: '10000', ...env });
  await site.app.listen({ host: '127.0.0.1', port: 0 });
  const address = site.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test site has no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return { site, baseUrl, url: (pathname) => `${baseUrl}${pathname}`, close: () => site.close() };
}

/** Signs in through the sign-in form of `language`, then waits for the redirect. */
export async function signInWithForm(
  page: Page,
  baseUrl: string,
  username: string,
  language = 'en',
  password = PASSWORD,
) {
  await page.goto(`${baseUrl}/${language}/sign-in`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.endsWith('/sign-in')),
    page.locator('.narrow-form form button[type="submit"]').click(),
  ]);
}

let axeSource: string | undefined;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page and returns its violations, one readable
 * line each. The site's Content-Security-Policy forbids inline scripts, so the page must belong to
 * a context created with `bypassCSP: true`.
 */
export async function axe(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (tags) => {
    const axeGlobal = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axeGlobal.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  return violations.map((v) => {
    const targets = v.nodes
      .slice(0, 3)
      .map((n) => JSON.stringify(n.target.length === 1 ? n.target[0] : n.target))
      .join(', ');
    const more = v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : '';
    const detail = v.nodes[0]?.failureSummary?.split('\n').slice(1, 2).join(' ').trim();
    return `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${targets}${more}${detail ? ` (${detail})` : ''}`;
  });
}

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

/** Saves a PNG (the whole page unless `fullPage: false`) as test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}

/** An English interface message from i18n/en.json with its $1, $2… filled in (no PLURAL handling). */
const english = JSON.parse(readFileSync(new URL('../../i18n/en.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
export function en(key: string, ...params: Array<string | number>): string {
  const message = english[key];
  if (message === undefined) throw new Error(`i18n/en.json has no message ${key}`);
  // As the site does: text put into a message is isolated for bidirectional display; numbers are not.
  const isolate = (param: string | number) =>
    typeof param === 'string' && !/^[\p{N}\s.,%]*$/u.test(param) ? `\u2068${param}\u2069` : String(param);
  return message.replace(/\$(\d+)/g, (_, n: string) => {
    const param = params[Number(n) - 1];
    return param === undefined ? `$${n}` : isolate(param);
  });
}
