import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SOURCE_LANGUAGE } from '../../../domain/languages/languages.ts';
import { SUBTITLE_LIMIT_FIELDS } from '../../../domain/subtitles/quality.ts';
import { notFound } from '../../../errors.ts';
import { languagesPage, type LanguagesPageData } from '../../views/pages/admin/languages.ts';
import { formBody, SavedQuery } from '../../forms.ts';

const AddBody = formBody({ code: 200 });
const LIMIT_FIELDS: Record<string, number> = Object.fromEntries(SUBTITLE_LIMIT_FIELDS.map(({ name }) => [name, 50]));
const LimitsBody = formBody({ ...LIMIT_FIELDS, reset: 1 });
const ToggleBody = Type.Object({
  enabled: Type.Union([Type.Literal('1'), Type.Literal('0')]),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const CodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });

/** The site's languages (languages.manage): add one, enable or disable it, set its subtitle limits. */
export const languageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { languages } = app.services;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Pick<LanguagesPageData, 'code' | 'errors' | 'error' | 'limitsForm' | 'saved'>>,
    status = 200,
  ) {
    const context = request.pageContext(reply, request.language, { forms: true });
    return reply.page(
      languagesPage(context, { languages: await languages.list(), code: '', errors: {}, saved: false, ...extra }),
      status,
    );
  }
  const saved = (request: FastifyRequest, reply: FastifyReply, language = request.language.code, anchor = '') => {
    return reply.redirect(`/${language}/admin/languages?saved=1${anchor}`, 303);
  };

  app.get('/languages', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    request.authorize('languages.manage');
    return render(request, reply, { saved: request.query.saved === '1' });
  });

  app.post('/languages', { schema: { body: AddBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    request.authorize('languages.manage');
    const typed = request.body.code ?? '';
    const errors = await languages.add(typed);
    if (errors) return render(request, reply, { code: typed, errors }, 400);
    return saved(request, reply);
  });

  app.post(
    '/languages/:code',
    { schema: { params: CodeParams, body: ToggleBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('languages.manage');
      const { code } = request.params;
      const enabled = request.body.enabled === '1';
      const outcome = await languages.setEnabled(code, enabled);
      if (outcome === 'not_found') throw notFound('language');
      if (outcome === 'source_language') return render(request, reply, { error: 'admin-languages-error-source' }, 400);
      // Disabling the language of this very page: its addresses stop working, so continue in English.
      return saved(
        request,
        reply,
        !enabled && code === request.language.code ? SOURCE_LANGUAGE : request.language.code,
      );
    },
  );

  app.post(
    '/languages/:code/subtitle-limits',
    { schema: { params: CodeParams, body: LimitsBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('languages.manage');
      const { code } = request.params;
      const fields: Record<string, string | undefined> = request.body;
      const values = Object.fromEntries(SUBTITLE_LIMIT_FIELDS.map(({ name }) => [name, fields[name] ?? '']));
      const outcome = await languages.saveSubtitleLimits(code, request.body.reset === '1' ? 'reset' : values);
      if (outcome === 'not_found') throw notFound('language');
      if (outcome) return render(request, reply, { limitsForm: { code, values, errors: outcome.errors } }, 400);
      return saved(request, reply, request.language.code, `#limits-${code}`);
    },
  );
};
