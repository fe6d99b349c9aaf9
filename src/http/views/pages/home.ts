import { localizedName } from '../../../domain/languages/localize.ts';
import type { StoryCard } from '../../../services/catalog.ts';
import type { Region } from '../../../domain/catalog/vocabulary.ts';
import { storyList } from '../components/story-card.ts';
import { languageFeed } from '../components/feeds.ts';
import { href, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export function homePage(
  context: PageContext,
  data: { featured: StoryCard[]; latest: StoryCard[]; regions: Region[] },
) {
  const { t } = context;
  return layout(
    context,
    { title: '', description: t('home-intro'), feeds: [languageFeed(context)] },
    html`
    <section class="home-intro">
      <h1>${t('home-heading')}</h1>
      <p>${t('home-intro')}</p>
    </section>
    ${
      data.featured.length
        ? html`<section aria-labelledby="featured-heading">
      <h2 id="featured-heading">${t('home-featured')}</h2>
      ${storyList(context, data.featured, '')}
    </section>`
        : null
    }
    <section aria-labelledby="latest-heading">
      <h2 id="latest-heading">${t('home-latest')}</h2>
      ${storyList(context, data.latest, t('stories-empty'), data.featured.length ? 0 : undefined)}
      <p><a href=${href(context, '/stories')}>${t('home-all-stories')}</a></p>
    </section>
    <section aria-labelledby="regions-heading">
      <h2 id="regions-heading">${t('home-regions')}</h2>
      <ul class="region-list">
        ${data.regions.map((region) => {
          const name = localizedName(region.names, context.chain);
          return html`<li><a href=${href(context, `/regions/${region.slug}`)}>${name.text}</a></li>`;
        })}
      </ul>
    </section>`,
  );
}
