import type { StoryCard } from '../../../services/catalog.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';

function textAttributes(context: PageContext, textLanguage: string) {
  const language = context.languages.find((l) => l.code === textLanguage) ?? {
    code: textLanguage,
    dir: 'ltr' as const,
  };
  return languageAttributes(language);
}

export function storyCard(context: PageContext, card: StoryCard): VNode {
  const { t } = context;
  const foreign = card.textLanguage !== context.language.code;
  return html`<article class="story-card cdx-card">
    <span class="cdx-card__text">
      <a class="cdx-card__text__title story-card__title" href=${href(context, `/stories/${card.slug}`)}
        ...${foreign ? textAttributes(context, card.textLanguage) : {}}>${card.title}</a>
      <span class="cdx-card__text__description" ...${foreign ? textAttributes(context, card.textLanguage) : {}}>${card.summary}</span>
      <span class="cdx-card__text__supporting-text">
        ${card.region ? html`<span>${card.region.name}</span> · ` : null}
        ${card.publishedAt ? html`<time datetime=${card.publishedAt.toISOString()}>${context.formatDate(card.publishedAt)}</time> · ` : null}
        <span>${t('story-languages-count', context.formatNumber(card.languages.length), card.languages.length)}</span>
        ${card.status === 'draft' ? html` · <span class="story-card__draft">${t('story-status-draft')}</span>` : null}
      </span>
    </span>
  </article>`;
}

export function storyList(context: PageContext, cards: StoryCard[], emptyMessage: string): VNode {
  if (cards.length === 0) return html`<p class="story-list__empty">${emptyMessage}</p>`;
  return html`<ul class="story-list">${cards.map((card) => html`<li>${storyCard(context, card)}</li>`)}</ul>`;
}

export { textAttributes };
