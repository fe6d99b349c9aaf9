import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formBody, formFile, uploadProblem } from '../../forms.ts';
import { translationResourcesPage, type ResourcesPageData } from '../../views/pages/translation-resources.ts';
import type { TermForm } from '../../../services/translation-resources.ts';

// The glossary and translation memory of a language pair: reviewers of the target language keep
// the glossary (and bring TBX and TMX files); every signed-in translator reads it and takes the files.

const PairQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 20 })),
  to: Type.Optional(Type.String({ maxLength: 20 })),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const TermBody = formBody({ term: 400, translation: 400, note: 2000, partOfSpeech: 80, forbidden: 8000 });
/** A glossary file is small; a memory file may be large (read as it arrives, never whole). */
const TBX_BYTES = 20 * 1024 * 1024;
const TMX_BYTES = 512 * 1024 * 1024;

export const translationResourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { translationResources: resources } = app.services;

  /** The pair of the address: from the source (English by default) into the interface language or the first other one. */
  async function pair(request: FastifyRequest, query: { from?: string; to?: string }) {
    const languages = await app.enabledLanguages();
    const from =
      languages.find((l) => l.code === query.from) ?? languages.find((l) => l.code === 'en') ?? languages[0]!;
    const to =
      languages.find((l) => l.code === query.to && l.code !== from.code) ??
      languages.find((l) => l.code === request.language.code && l.code !== from.code) ??
      languages.find((l) => l.code !== from.code)!;
    return { from, to, languages };
  }

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    query: { from?: string; to?: string },
    extra: Partial<ResourcesPageData> = {},
    status = 200,
  ) {
    const { from, to, languages } = await pair(request, query);
    const [terms, memory] = await Promise.all([
      resources.glossary(from.code, to.code),
      resources.memoryCount(from.code, to.code),
    ]);
    const context = request.pageContext(reply, request.language, { forms: true });
    reply.header('cache-control', 'private, no-store');
    return reply.page(
      translationResourcesPage(context, {
        from,
        to,
        languages,
        terms,
        memory,
        canEdit: request.can('translation.review', to.code),
        form: { term: '', translation: '', note: '', partOfSpeech: '', forbidden: '' },
        errors: {},
        ...extra,
      }),
      status,
    );
  }

  app.get('/translation-resources', { schema: { querystring: PairQuery } }, async (request, reply) => {
    request.authorize('translation.suggest', request.query.to ?? request.language.code);
    return render(request, reply, request.query);
  });

  app.post(
    '/translation-resources/terms',
    { schema: { querystring: PairQuery, body: TermBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { from, to } = await pair(request, request.query);
      request.authorize('translation.review', to.code);
      const body = request.body;
      const form: TermForm = {
        term: body.term ?? '',
        translation: body.translation ?? '',
        note: body.note ?? '',
        partOfSpeech: body.partOfSpeech ?? '',
        forbidden: body.forbidden ?? '',
      };
      const result = await resources.saveTerm(from.code, to.code, form, request.user!.id);
      if ('errors' in result) return render(request, reply, request.query, { form, errors: result.errors }, 400);
      return reply.redirect(
        `/${request.language.code}/translation-resources?from=${from.code}&to=${to.code}&saved=1`,
        303,
      );
    },
  );

  app.post(
    '/translation-resources/terms/delete',
    { schema: { querystring: PairQuery, body: formBody({ term: 400 }) }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const { from, to } = await pair(request, request.query);
      request.authorize('translation.review', to.code);
      await resources.deleteTerm(from.code, to.code, request.body.term ?? '');
      return reply.redirect(`/${request.language.code}/translation-resources?from=${from.code}&to=${to.code}`, 303);
    },
  );

  app.get('/translation-resources/glossary.tbx', { schema: { querystring: PairQuery } }, async (request, reply) => {
    const { from, to } = await pair(request, request.query);
    request.authorize('translation.suggest', to.code);
    return reply
      .header('content-type', 'application/x-tbx+xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="glossary.${from.code}-${to.code}.tbx"`)
      .send(await resources.exportTbx(from.code, to.code));
  });

  app.get('/translation-resources/memory.tmx', { schema: { querystring: PairQuery } }, async (request, reply) => {
    const { from, to } = await pair(request, request.query);
    request.authorize('translation.suggest', to.code);
    return reply
      .header('content-type', 'application/x-tmx+xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="memory.${from.code}-${to.code}.tmx"`)
      .send(Readable.from(resources.exportTmx(from.code, to.code)));
  });

  for (const kind of ['glossary', 'memory'] as const) {
    app.post(
      `/translation-resources/${kind}/import`,
      { schema: { querystring: PairQuery }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const { from, to } = await pair(request, request.query);
        request.authorize('translation.review', to.code);
        const limit = kind === 'glossary' ? TBX_BYTES : TMX_BYTES;
        const file = await formFile(request, { limits: { fileSize: limit } });
        const refuse = (code: string) =>
          render(
            request,
            reply,
            request.query,
            { imported: { kind, ok: false, problems: [{ code, line: 0, column: 0, message: code }] } },
            400,
          );
        if (!file) return refuse('no_file');
        try {
          const result =
            kind === 'glossary'
              ? await resources.importTbx(
                  from.code,
                  to.code,
                  (await file.toBuffer()).toString('utf8'),
                  request.user!.id,
                )
              : await resources.importTmx(from.code, to.code, decodeChunks(file.file), () => !file.file.truncated);
          if (file.file.truncated) return refuse('too_large');
          return render(request, reply, request.query, { imported: { kind, ...result } }, result.ok ? 200 : 400);
        } catch (error) {
          const problem = uploadProblem(error, { FST_REQ_FILE_TOO_LARGE: true });
          if (problem) return refuse(problem === 'FST_REQ_FILE_TOO_LARGE' ? 'too_large' : problem);
          throw error;
        }
      },
    );
  }
};

/** UTF-8 text of a byte stream, chunk by chunk (a character split between chunks is kept whole). */
async function* decodeChunks(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) yield decoder.decode(chunk, { stream: true });
  yield decoder.decode();
}
