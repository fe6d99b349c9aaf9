import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { formatNotOffered, notFound, unknownLanguage } from '../../errors.ts';
import { bcp47, type LanguageRow } from '../../domain/languages/languages.ts';
import { pickLanguage } from '../../domain/languages/localize.ts';
import { embedFrameSize, fitsWithin, storyAddress } from '../../domain/syndication/embed.ts';
import type { Embeddable } from '../../services/syndication.ts';
import { CSP_DIRECTIVES } from '../plugins/security.ts';
import { publicOrigin } from '../public-url.ts';
import { embedAddress, sharedRendition } from '../views/components/previews.ts';
import { embedPage } from '../views/pages/embed.ts';
import { html } from '../views/html.ts';
import { renderToString } from 'preact-render-to-string';

const Size = Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 }));

/** The oEmbed answer (https://oembed.com, §2.3): exactly these fields leave the server. */
const OEmbed = Type.Object({
  version: Type.Literal('1.0'),
  type: Type.Union([Type.Literal('video'), Type.Literal('link')]),
  title: Type.String(),
  author_name: Type.Optional(Type.String()),
  author_url: Type.Optional(Type.String()),
  provider_name: Type.String(),
  provider_url: Type.String(),
  cache_age: Type.Integer(),
  thumbnail_url: Type.Optional(Type.String()),
  thumbnail_width: Type.Optional(Type.Integer()),
  thumbnail_height: Type.Optional(Type.Integer()),
  html: Type.Optional(Type.String()),
  width: Type.Optional(Type.Integer()),
  height: Type.Optional(Type.Integer()),
});
/** How long a consumer may keep an answer (seconds). */
const CACHE_AGE = 86_400;

// The site's policy, except that any site may frame the page.
const FRAMEABLE_CSP = Object.entries({ ...CSP_DIRECTIVES, frameAncestors: ['*'] })
  .map(([name, sources]) => `${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)} ${sources.join(' ')}`)
  .join(';');

/**
 * Lets other sites frame this response (only a found embed page: its errors, and every other page,
 * keep frame-ancestors 'none' and X-Frame-Options). Set on the reply, these win over helmet's.
 */
function allowFraming(reply: FastifyReply) {
  reply.raw.removeHeader('x-frame-options');
  return reply.header('content-security-policy', FRAMEABLE_CSP).header('cross-origin-resource-policy', 'cross-origin');
}

/** A story's title in the first language of `chain` it has, and that language. */
function titleOf(found: Embeddable, chain: readonly string[]) {
  const language = pickLanguage(chain, Object.keys(found.story.texts), found.story.sourceLanguage)!;
  return { title: found.story.texts[language]!.title, language };
}

/** The oEmbed answer for a story read in `language`: a video with its frame, or (no video yet) a link. */
function presentOEmbed(
  found: Embeddable,
  options: {
    language: LanguageRow;
    origin: string;
    providerName: string;
    max: { maxwidth?: number; maxheight?: number };
  },
): Static<typeof OEmbed> {
  const { language, origin, max } = options;
  const { title } = titleOf(found, [language.code, ...language.fallbacks]);
  const poster = found.media.find((file) => file.role === 'poster');
  const video = sharedRendition(found.media);
  const names = found.storytellers.map((person) => person.displayName);
  const answer: Static<typeof OEmbed> = {
    version: '1.0',
    type: video ? 'video' : 'link',
    title,
    ...(names.length
      ? {
          author_name: new Intl.ListFormat(bcp47(language.code), { type: 'conjunction' }).format(names),
          author_url: `${origin}/${language.code}/people/${encodeURIComponent(found.storytellers[0]!.username)}`,
        }
      : {}),
    provider_name: options.providerName,
    provider_url: `${origin}/`,
    cache_age: CACHE_AGE,
  };
  // oEmbed: a thumbnail must fit maxwidth and maxheight; there is one poster size, so none rather than one too large.
  if (poster?.width && poster.height && fitsWithin({ width: poster.width, height: poster.height }, max)) {
    answer.thumbnail_url = `${origin}/media/${poster.storageKey}`;
    answer.thumbnail_width = poster.width;
    answer.thumbnail_height = poster.height;
  }
  if (video) {
    const size = embedFrameSize(video.width && video.height ? { width: video.width, height: video.height } : null, max);
    answer.width = size.width;
    answer.height = size.height;
    answer.html = renderToString(
      html`<iframe src=${embedAddress(origin, language.code, found.story.slug)} width=${size.width} height=${size.height}
        title=${title} frameborder="0" allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy"></iframe>`,
    );
  }
  return answer;
}

/**
 * Embedding a story in other sites: its player page (/embed/SLUG?lang=LL, framable by any site) and
 * oEmbed (/oembed?url=…), at the root where consumers look for it rather than in the versioned API:
 * its shape is oEmbed's, not ours, and it is found through the discovery link on story pages.
 */
export const embedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { syndication } = app.services;
  const languageOf = async (code: string) => {
    const language = (await app.enabledLanguages()).find((l) => l.code === code);
    if (!language) throw unknownLanguage(code);
    return language;
  };

  app.get(
    '/embed/:slug',
    {
      config: { pageCache: true },
      schema: {
        params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ lang: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const found = await syndication.embeddable(request.params.slug);
      if (!found) throw notFound('story');
      const language = await languageOf(request.query.lang ?? found.story.sourceLanguage);
      const context = request.pageContext(reply, language);
      const { title, language: titleLanguage } = titleOf(found, context.chain);
      const defaultTrack = context.chain.find((code) => found.subtitleLanguages.includes(code)) ?? null;
      return allowFraming(reply.showsStory(found.story.id)).page(
        embedPage(context, {
          slug: found.story.slug,
          title,
          titleLanguage,
          media: found.media,
          subtitleLanguages: found.subtitleLanguages,
          defaultTrack,
        }),
      );
    },
  );

  app.get(
    '/oembed',
    {
      config: { pageCache: true },
      schema: {
        querystring: Type.Object({
          url: Type.String({ maxLength: 2000 }),
          format: Type.Optional(Type.String({ maxLength: 20 })),
          maxwidth: Size,
          maxheight: Size,
        }),
        response: { 200: OEmbed },
      },
    },
    async (request, reply): Promise<Static<typeof OEmbed>> => {
      const { url, format = 'json', maxwidth, maxheight } = request.query;
      // Any page may ask from its own script: the answer is public.
      reply.header('access-control-allow-origin', '*');
      if (format !== 'json') throw formatNotOffered(format);
      const origin = publicOrigin(request);
      const address = storyAddress(url, origin);
      if (!address) throw notFound('story');
      const found = await syndication.embeddable(address.slug);
      if (!found) throw notFound('story');
      const language = await languageOf(address.language ?? found.story.sourceLanguage);
      reply.showsStory(found.story.id);
      const providerName = app.services.messages.forLanguage(language.code)('site-name');
      const max = { ...(maxwidth ? { maxwidth } : {}), ...(maxheight ? { maxheight } : {}) };
      return presentOEmbed(found, { language, origin, providerName, max });
    },
  );
};
