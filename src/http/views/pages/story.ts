import { localizedName } from '../../../domain/languages/localize.ts';
import type { StoryPage } from '../../../services/catalog.ts';
import { textAttributes } from '../components/story-card.ts';
import { firstRenditionUrl, player } from '../components/player.ts';
import type { MediaFile } from '../../../domain/media/media-file.ts';
import type { Cue } from '../../../domain/subtitles/index.ts';
import { transcript } from '../components/transcript.ts';
import { href, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

export interface Watching {
  media: MediaFile[];
  /** Languages with a published subtitle track. */
  subtitleLanguages: string[];
  transcript: { language: string; cues: Cue[] } | null;
}

export function storyPage(
  context: PageContext,
  data: StoryPage,
  watching: Watching = { media: [], subtitleLanguages: [], transcript: null },
): VNode {
  const { t } = context;
  const { story, text } = data;
  const foreign = text.language !== context.language.code;
  const textLang = foreign ? textAttributes(context, text.language) : {};
  const autonym = (code: string) => context.languages.find((l) => l.code === code)?.autonym ?? code;
  const languageLinks = story.languages.map(
    (code) => html`<li>
    <a href=${`/${code}/stories/${story.slug}`} ...${textAttributes(context, code)} hreflang=${textAttributes(context, code).lang}>${autonym(code)}</a>
  </li>`,
  );
  const tracks = watching.subtitleLanguages.map((code) => {
    const language = context.languages.find((l) => l.code === code);
    return html`<track kind="subtitles" src=${`/subtitles/${story.slug}/${code}.vtt`} srclang=${textAttributes(context, code).lang}
      label=${language?.autonym ?? code} default=${code === context.language.code} />`;
  });
  const video = player(context, watching.media, tracks);
  const videoUrl = firstRenditionUrl(watching.media, context.saveData);
  return layout(
    context,
    {
      title: text.title,
      description: text.summary,
      ...(video && watching.transcript ? { scripts: ['/assets/transcript.js'] } : {}),
    },
    html`
    <article class="story">
      ${
        foreign
          ? html`<div class="cdx-message cdx-message--block cdx-message--notice" role="note">
        <span class="cdx-message__icon"></span>
        <div class="cdx-message__content">${t('story-not-in-language', context.language.autonym, autonym(text.language))}</div>
      </div>`
          : null
      }
      ${
        story.status === 'draft'
          ? html`<div class="cdx-message cdx-message--block cdx-message--warning" role="note">
        <span class="cdx-message__icon"></span><div class="cdx-message__content">${t('story-draft-notice')}</div>
      </div>`
          : null
      }
      <header class="story__header">
        <h1 ...${textLang}>${text.title}</h1>
        <p class="story__summary" ...${textLang}>${text.summary}</p>
        <p class="story__meta">
          ${data.region ? html`<a href=${href(context, `/regions/${data.region.slug}`)}>${localizedName(data.region.names, context.chain).text}</a>` : null}
          ${story.publishedAt ? html` · <time datetime=${story.publishedAt.toISOString()}>${context.formatDate(story.publishedAt)}</time>` : null}
        </p>
        ${
          data.themes.length
            ? html`<ul class="story__themes" aria-label=${t('story-themes')}>
          ${data.themes.map((theme) => html`<li><a class="theme-chip" href=${href(context, `/themes/${theme.slug}`)}>${localizedName(theme.names, context.chain).text}</a></li>`)}
        </ul>`
            : null
        }
        ${
          context.can('story.edit')
            ? html`<p class="story__tools"><a class="cdx-button cdx-button--fake-button cdx-button--fake-button--enabled" href=${href(context, `/edit/stories/${story.slug}`)}>${t('story-edit')}</a>
          <a class="cdx-button cdx-button--fake-button cdx-button--fake-button--enabled" href=${href(context, `/edit/stories/${story.slug}/video`)}>${t('video-manage')}</a></p>`
            : null
        }
      </header>
      ${video}
      ${
        watching.transcript
          ? html`<section class="story__transcript" aria-labelledby="transcript-heading">
        <h2 id="transcript-heading">${t('transcript-heading')}</h2>
        <p><a href=${href(context, `/stories/${story.slug}/transcript`)}>${t('transcript-page-link')}</a></p>
        ${transcript(context, { ...watching.transcript, ...(video ? { videoId: 'story-video', videoUrl } : {}) })}
      </section>`
          : null
      }
      <div class="story__body" ...${textLang}>
        ${text.blocks.map((block) =>
          block.type === 'heading'
            ? html`<h2>${block.text}</h2>`
            : block.type === 'quote'
              ? html`<blockquote><p>${block.text}</p></blockquote>`
              : html`<p>${block.text}</p>`,
        )}
      </div>
      ${
        data.storytellers.length
          ? html`<section class="story__storytellers" aria-labelledby="storytellers-heading">
        <h2 id="storytellers-heading">${t('story-storytellers', data.storytellers.length)}</h2>
        <ul>
          ${data.storytellers.map((person) => {
            const bio = localizedName(person.bios, context.chain);
            return html`<li>
              <a href=${href(context, `/people/${encodeURIComponent(person.username)}`)}><bdi>${person.displayName}</bdi></a>
              ${person.homeWiki ? html` <span class="person__wiki">(<bdi>${person.homeWiki}</bdi>)</span>` : null}
              ${bio.text ? html`<p ...${textAttributes(context, bio.language)}>${bio.text}</p>` : null}
            </li>`;
          })}
        </ul>
      </section>`
          : null
      }
      <section class="story__languages" aria-labelledby="languages-heading">
        <h2 id="languages-heading">${t('story-available-in')}</h2>
        <ul class="inline-list">${languageLinks}</ul>
      </section>
    </article>`,
  );
}
