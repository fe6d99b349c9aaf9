import { bcp47 } from '../../domain/languages/languages.ts';
import { codexStylesheetUrl } from '../assets.ts';
import { href, languageAttributes, type PageContext } from './context.ts';
import { html, type VNode } from './html.ts';

export interface LayoutOptions {
  title: string;
  /** Alternate language versions exist at the same path in every enabled language. */
  alternates?: boolean;
  description?: string;
  /** Optional scripts (never needed to read or watch). */
  scripts?: string[];
  /** Module scripts of an island (the editors): only on the pages that need them. */
  modules?: string[];
  /** Style sheets of such a page, after the site's own. */
  styles?: string[];
  /** Atom feeds of what the page lists (feed readers find them in the head). */
  feeds?: Array<{ title: string; href: string }>;
  /** More of the head: previews for other sites (Open Graph, JSON-LD, oEmbed discovery). */
  head?: VNode | VNode[] | null;
}

export function layout(context: PageContext, options: LayoutOptions, content: VNode | VNode[]): VNode {
  const { t, language } = context;
  const rtl = language.dir === 'rtl';
  const pageTitle = options.title ? t('page-title', options.title) : t('site-name');
  return html`<html ...${languageAttributes(language)}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${pageTitle}</title>
      ${options.description ? html`<meta name="description" content=${options.description} />` : null}
      <link rel="stylesheet" href=${codexStylesheetUrl(rtl, Boolean(options.modules?.length))} />
      <link rel="stylesheet" href="/assets/site.css" />
      ${options.styles?.map((sheet) => html`<link rel="stylesheet" href=${sheet} />`)}
      ${options.scripts?.map((src) => html`<script src=${src} defer></script>`)}
      ${options.modules?.map((src) => html`<script type="module" src=${src}></script>`)}
      ${
        options.alternates !== false
          ? context.languages.map(
              (other) =>
                html`<link rel="alternate" hreflang=${bcp47(other.code)} href=${`/${other.code}${context.path}`} />`,
            )
          : null
      }
      ${options.feeds?.map((feed) => html`<link rel="alternate" type="application/atom+xml" title=${feed.title} href=${feed.href} />`)}
      ${options.head ?? null}
    </head>
    <body>
      <a class="skip-link" href="#content">${t('skip-to-content')}</a>
      ${header(context)}
      <main id="content" class="site-main">${content}</main>
      <footer class="site-footer">
        <p>${t('footer-about')}</p>
        <p><a href=${href(context, '/celebration')}>${t('celebration-nav')}</a></p>
        <p><a href="/api/v1/stories">${t('footer-api')}</a></p>
      </footer>
    </body>
  </html>`;
}

function header(context: PageContext): VNode {
  const { t, user } = context;
  return html`<header class="site-header">
    <a class="site-name" href=${href(context, '/')}>${t('site-name')}</a>
    <nav class="site-nav" aria-label=${t('nav-label')}>
      <a href=${href(context, '/stories')}>${t('nav-stories')}</a>
      ${context.can('story.edit') ? html`<a href=${href(context, '/edit/stories/new')}>${t('nav-new-story')}</a>` : null}
      ${user ? html`<a href=${href(context, '/edit/subtitles')}>${t('nav-work')}</a>` : null}
      ${context.unreadNotices ? html`<a href=${href(context, '/notices')}>${t('celebration-nav-notices', context.unreadNotices)}</a>` : null}
      ${context.can('admin.enter') ? html`<a href=${href(context, '/admin')}>${t('nav-admin')}</a>` : null}
    </nav>
    <form class="site-search" role="search" method="get" action=${href(context, '/search')}>
      <label class="visually-hidden" for="site-search-q">${t('search-label')}</label>
      <div class="cdx-text-input">
        <input id="site-search-q" class="cdx-text-input__input" type="search" name="q" placeholder=${t('search-placeholder')} />
      </div>
      <button class="cdx-button" type="submit">${t('search-button')}</button>
    </form>
    ${languageSwitcher(context)}
    <div class="site-account">
      ${
        user
          ? html`<a class="site-account__name" href=${href(context, '/account')}><bdi>${user.displayName}</bdi></a>
            <form method="post" action=${href(context, '/sign-out')}>
              <input type="hidden" name="_csrf" value=${context.csrfToken} />
              <button class="cdx-button cdx-button--weight-quiet" type="submit">${t('sign-out')}</button>
            </form>`
          : html`<a href=${signInHref(context)}>${t('sign-in')}</a>`
      }
    </div>
  </header>`;
}

function languageSwitcher(context: PageContext): VNode {
  const { t, language } = context;
  return html`<details class="language-switcher">
    <summary>
      <span class="visually-hidden">${t('language-switcher-label')} </span><span lang=${bcp47(language.code)}>${language.autonym}</span>
    </summary>
    <ul class="language-switcher__list">
      ${context.languages.map(
        (other) => html`<li>
        <a href=${`/language/${other.code}?to=${encodeURIComponent(context.path)}`} hreflang=${bcp47(other.code)}
          ...${languageAttributes(other)} aria-current=${other.code === language.code ? 'true' : undefined}>${other.autonym}</a>
      </li>`,
      )}
    </ul>
  </details>`;
}

/** The sign-in page, coming back to where the visitor was afterwards. */
export function signInHref(context: PageContext): string {
  const here = `/${context.language.code}${context.path}`;
  return href(context, `/sign-in?returnTo=${encodeURIComponent(here)}`);
}
