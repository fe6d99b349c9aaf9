import { localizedName } from '../../../domain/languages/localize.ts';
import type { StoryPage } from '../../../services/catalog.ts';
import { textAttributes } from '../components/story-card.ts';
import { firstRenditionUrl, player } from '../components/player.ts';
import type { MediaFile } from '../../../domain/media/media-file.ts';
import type { Cue } from '../../../domain/subtitles/index.ts';
import { transcript } from '../components/transcript.ts';
import { storyPreviews } from '../components/previews.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { readingBody, readingLine } from '../components/story-text.ts';
import { credits } from '../components/credits.ts';
import { honoreePhoto } from '../components/honoree-photo.ts';
import type { HonoreePhoto } from '../../../domain/celebration/announcement.ts';
import type { StoryCredits } from '../../../services/contributions.ts';
import type { InlineNode } from '../../../domain/stories/markup.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

export interface Watching {
  media: MediaFile[];
  /** Languages with a published subtitle track. */
  subtitleLanguages: string[];
  transcript: { language: string; cues: Cue[] } | null;
  /** Who translated, reviewed and subtitled the story. */
  credits?: StoryCredits;
  /** A celebrated contributor's photo, with its licence and attribution (the honoree's story). */
  photo?: HonoreePhoto;
}

export function storyPage(
  context: PageContext,
  data: StoryPage,
  watching: Watching = { media: [], subtitleLanguages: [], transcript: null },
  /** The site's public origin: given, the head carries previews for other sites (Open Graph, JSON-LD, oEmbed). */
  origin?: string,
): VNode {
  const { t } = context;
  const { story, text, reading } = data;
  const titleUnit = reading.title;
  const partial = context.language.code !== story.sourceLanguage && reading.translated < reading.total;
  const autonym = (code: string) => context.languages.find((l) => l.code === code)?.autonym ?? code;
  const languageLinks = story.languages.map(
    (code) => html`<li>
    <a href=${`/${code}/stories/${story.slug}`} ...${textAttributes(context, code)} hreflang=${textAttributes(context, code).lang}>${autonym(code)}</a>${
      code !== story.sourceLanguage && (data.translated[code] ?? 0) < 100
        ? html` <span class="story__percent">${t('story-percent-translated', context.formatNumber(data.translated[code] ?? 0))}</span>`
        : null
    }
  </li>`,
  );
  const tracks = watching.subtitleLanguages.map((code) => {
    const language = context.languages.find((l) => l.code === code);
    return html`<track kind="subtitles" src=${`/subtitles/${story.slug}/${code}.vtt`} srclang=${textAttributes(context, code).lang}
      label=${language?.autonym ?? code} default=${code === context.language.code} />`;
  });
  const video = player(context, watching.media, tracks);
  const videoUrl = firstRenditionUrl(watching.media, context.saveData);
  const title = titleUnit ? plainTitle(titleUnit.inline) : text.title;
  const description = reading.summary.map((unit) => plainTitle(unit.inline)).join(' ');
  return layout(
    context,
    {
      title,
      description,
      ...(video && watching.transcript ? { scripts: ['/assets/transcript.js'] } : {}),
      head: origin
        ? storyPreviews(context, {
            origin,
            slug: story.slug,
            published: story.status === 'published',
            publishedAt: story.publishedAt,
            sourceLanguage: story.sourceLanguage,
            languages: story.languages,
            title,
            description,
            storytellers: data.storytellers,
            media: watching.media,
            subtitleLanguages: watching.subtitleLanguages,
            transcript: watching.transcript,
          })
        : null,
    },
    html`
    <article class="story">
      ${
        partial
          ? html`<div class="cdx-message cdx-message--block cdx-message--notice story__translation-note" role="note">
        <span class="cdx-message__icon"></span>
        <div class="cdx-message__content">${
          reading.translated === 0
            ? t('story-not-in-language', context.language.autonym, autonym(story.sourceLanguage))
            : t(
                'story-partly-translated',
                context.language.autonym,
                context.formatNumber(data.translated[context.language.code] ?? 0),
                autonym(story.sourceLanguage),
              )
        }
        <a href=${href(context, `/translate/${story.slug}/${context.language.code}`)}>${t('story-help-translate', context.language.autonym)}</a></div>
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
        ${titleUnit ? lineElement('h1', readingLine(context, [titleUnit])) : html`<h1>${text.title}</h1>`}
        ${reading.summary.length ? lineElement('p', readingLine(context, reading.summary), 'story__summary') : null}
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
      ${watching.photo ? honoreePhoto(context, watching.photo, title) : null}
      ${
        watching.transcript
          ? html`<section class="story__transcript" aria-labelledby="transcript-heading">
        <h2 id="transcript-heading">${t('transcript-heading')}</h2>
        <p><a href=${href(context, `/stories/${story.slug}/transcript`)}>${t('transcript-page-link')}</a></p>
        ${transcript(context, { ...watching.transcript, ...(video ? { videoId: 'story-video', videoUrl } : {}) })}
      </section>`
          : null
      }
      <div class="story__body">${readingBody(context, reading)}</div>
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
      ${watching.credits ? credits(context, watching.credits) : null}
      ${translateThisPost(context, data)}
    </article>`,
  );
}

const plainTitle = (nodes: readonly InlineNode[]): string =>
  nodes.map((node) => (node.type === 'text' ? node.text : plainTitle(node.children))).join('');

function lineElement(
  tag: 'h1' | 'p',
  line: { attributes: Record<string, string>; content: Array<VNode | string> },
  className?: string,
): VNode {
  const classes = [className, line.attributes.class].filter(Boolean).join(' ') || undefined;
  return html`<${tag} ...${line.attributes} class=${classes}>${line.content}</${tag}>`;
}

/**
 * "Translate this post": every language the story is not fully translated into, the reader's
 * first, each with how far it is. The link opens the translation editor (signing in first).
 */
function translateThisPost(context: PageContext, data: StoryPage): VNode | null {
  const { t } = context;
  const { story } = data;
  if (story.status !== 'published') return null;
  const missing = context.languages
    .filter((language) => language.code !== story.sourceLanguage && (data.translated[language.code] ?? 0) < 100)
    .sort((a, b) => Number(b.code === context.language.code) - Number(a.code === context.language.code));
  if (!missing.length) return null;
  return html`<section class="story__translate" aria-labelledby="translate-heading">
    <h2 id="translate-heading">${t('story-translate-heading')}</h2>
    <p>${t('story-translate-intro')}</p>
    <ul class="inline-list story__translate-list">
      ${missing.map(
        (language) => html`<li>
        <a href=${href(context, `/translate/${story.slug}/${language.code}`)}><span ...${languageAttributes(language)}>${language.autonym}</span></a>${' '}
        <span class="story__percent">${t('story-percent-translated', context.formatNumber(data.translated[language.code] ?? 0))}</span>
      </li>`,
      )}
    </ul>
  </section>`;
}
