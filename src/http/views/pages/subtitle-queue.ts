import type { TranslationQueueItem } from '../../../services/subtitles.ts';
import type { LanguageRow } from '../../../domain/languages/languages.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

export interface SubtitleQueuePageData {
  /** The language the list is for, and every language this person may translate into. */
  language: LanguageRow;
  languages: LanguageRow[];
  items: TranslationQueueItem[];
}

const BUTTON = 'cdx-button cdx-button--fake-button cdx-button--fake-button--enabled';

/** A translator's list: stories with subtitles to translate into their language, each with where it stands and one link to go on. */
export function subtitleQueuePage(context: PageContext, data: SubtitleQueuePageData): VNode {
  const { t } = context;
  const { language } = data;
  const name = (code: string) => context.languages.find((l) => l.code === code);
  const title = t('subtitle-queue-title');
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
    <p>${t('subtitle-queue-intro', language.autonym)}</p>
    ${
      data.items.length === 0
        ? html`<p class="admin-muted">${t('subtitle-queue-empty', language.autonym)}</p>`
        : html`<ul class="subtitle-queue">
      ${data.items.map((item) => {
        const base = `/edit/stories/${item.slug}/subtitles/${language.code}`;
        const source = item.source && name(item.source.language);
        const from = item.source && !item.track ? `?from=${item.source.language}` : '';
        return html`<li class="subtitle-queue__item">
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
      })}
    </ul>`
    }`,
  );
}
