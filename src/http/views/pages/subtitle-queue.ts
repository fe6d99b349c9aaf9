import type { TranslationQueueItem } from '../../../services/subtitles.ts';
import type { TranslationService } from '../../../services/translation.ts';
import type { LanguageRow } from '../../../domain/languages/languages.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

export interface SubtitleQueuePageData {
  /** The language the list is for, and every language this person may translate into. */
  language: LanguageRow;
  languages: LanguageRow[];
  items: TranslationQueueItem[];
  /** Story texts to translate into the language. */
  texts: Awaited<ReturnType<TranslationService['workList']>>;
}

/** Subtitle ranks (see translationQueue) as the list's priorities: waiting on the person, under way, not started, done. */
const TRACK_PRIORITY = [0, 1, 2, 3, 3];

const BUTTON = 'cdx-button cdx-button--fake-button cdx-button--fake-button--enabled';

/**
 * A translator's list: story texts and subtitle tracks to translate into their language, in one
 * list, what waits on them first; each with where it stands and one link to go on.
 */
export function subtitleQueuePage(context: PageContext, data: SubtitleQueuePageData): VNode {
  const { t } = context;
  const { language } = data;
  const name = (code: string) => context.languages.find((l) => l.code === code);
  const title = t('work-title');
  return layout(
    context,
    { title, alternates: false },
    html`
    <h1>${title}</h1>
    ${
      data.languages.length > 1
        ? html`<form class="subtitle-queue__chooser" method="get" action=${href(context, '/edit/subtitles')}>
      <label for="queue-language">${t('subtitle-queue-language')}</label>
      <select id="queue-language" class="cdx-select" name="language">${data.languages.map((l) => html`<option value=${l.code} selected=${l.code === language.code} ...${languageAttributes(l)}>${l.autonym}</option>`)}</select>
      <button class="cdx-button" type="submit">${t('subtitle-queue-show')}</button>
    </form>`
        : null
    }
    <p>${t('work-intro', language.autonym)}</p>
    ${
      data.items.length + data.texts.length === 0
        ? html`<p class="admin-muted">${t('work-empty', language.autonym)}</p>`
        : html`<ul class="subtitle-queue">
      ${[
        ...data.texts.map((item) => ({ priority: item.priority, view: textItem(context, language, item) })),
        ...data.items.map((item) => ({
          priority: TRACK_PRIORITY[item.rank] ?? 3,
          view: trackItem(context, language, item),
        })),
      ]
        .sort((a, b) => a.priority - b.priority)
        .map((entry) => entry.view)}
    </ul>`
    }`,
  );
}

function textItem(context: PageContext, language: LanguageRow, item: SubtitleQueuePageData['texts'][number]): VNode {
  const { t } = context;
  const counts = [
    item.sentBackToMe ? t('work-sent-back-to-you', context.formatNumber(item.sentBackToMe), item.sentBackToMe) : null,
    item.mineOutdated ? t('work-yours-outdated', context.formatNumber(item.mineOutdated), item.mineOutdated) : null,
    item.review ? t('work-awaiting-review', context.formatNumber(item.review), item.review) : null,
  ].filter(Boolean);
  const titleLanguage = item.titleLanguage && context.languages.find((l) => l.code === item.titleLanguage);
  return html`<li class="subtitle-queue__item">
    <p class="subtitle-queue__kind">${t('work-kind-text')}</p>
    <h2 class="subtitle-queue__story"><bdi ...${titleLanguage && titleLanguage.code !== context.language.code ? languageAttributes(titleLanguage) : {}}>${item.title}</bdi></h2>
    <p class="subtitle-queue__state"><strong>${t('story-percent-translated', context.formatNumber(item.percent))}</strong>${counts.length ? html` · ${counts.join(' · ')}` : null}</p>
    <p class="subtitle-queue__actions">
      <a class=${`${BUTTON}${item.priority < 2 ? ' cdx-button--action-progressive cdx-button--weight-primary' : ''}`}
        href=${href(context, `/translate/${item.slug}/${language.code}`)}>${item.priority === 2 ? t('subtitle-queue-start') : t('subtitle-queue-continue')}</a>
    </p>
  </li>`;
}

function trackItem(context: PageContext, language: LanguageRow, item: TranslationQueueItem): VNode {
  const { t } = context;
  const name = (code: string) => context.languages.find((l) => l.code === code);
  const base = `/edit/stories/${item.slug}/subtitles/${language.code}`;
  const source = item.source && name(item.source.language);
  const from = item.source && !item.track ? `?from=${item.source.language}` : '';
  return html`<li class="subtitle-queue__item">
    <p class="subtitle-queue__kind">${t('work-kind-subtitles')}</p>
    <h2 class="subtitle-queue__story"><bdi>${item.title}</bdi></h2>
    ${item.source ? html`<p class="subtitle-queue__source">${t('subtitle-queue-source', source?.autonym ?? item.source.language, context.formatNumber(item.source.cueCount), item.source.cueCount)}</p>` : null}
    <p class="subtitle-queue__state">${
      item.track
        ? html`<strong>${t(`editor-status-${item.track.status.replace(/_/g, '-')}`)}</strong> · ${t('subtitle-queue-done', t('subtitles-percent', context.formatNumber(item.track.percent)))}
        ${item.track.sourceChanged ? html`<br /><span class="subtitle-tracks__outdated">${t('subtitles-source-changed')}</span>` : null}`
        : html`<strong>${t('subtitle-queue-not-started')}</strong>`
    }</p>
    ${
      item.review?.decision === 'sent_back' && item.review.comment && item.track?.status === 'draft'
        ? html`<div class="subtitle-review">
      <p>${t('subtitle-review-sent-back')}</p>
      <blockquote class="subtitle-review__comment"><bdi>${item.review.comment}</bdi></blockquote>
    </div>`
        : null
    }
    <p class="subtitle-queue__actions">
      <a class=${item.track?.status === 'published' ? BUTTON : `${BUTTON} cdx-button--action-progressive cdx-button--weight-primary`}
        href=${href(context, `${base}/edit${from}`)}>${item.track ? t('subtitle-queue-continue') : t('subtitle-queue-start')}</a>
      ${item.track ? html` <a href=${href(context, base)}>${t('subtitles-history-review')}</a>` : null}
    </p>
  </li>`;
}
