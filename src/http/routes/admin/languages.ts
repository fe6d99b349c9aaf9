import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  bcp47, describeLanguage, isKnownLanguage, normalizeLanguageCode, SOURCE_LANGUAGE,
} from '../../../domain/languages/languages.ts';
import { readSubtitleLimits, SUBTITLE_LIMIT_FIELDS } from '../../../domain/subtitles/quality.ts';
import { notFound } from '../../../errors.ts';
import { LANGUAGE_CODE_LIMIT, languagesPage, type LanguagesPageData } from '../../views/pages/admin/languages.ts';
import { authorize, sendPage } from '../site/index.ts';
import { checkText, fieldValue, formBody, SavedQuery, wasSaved, type FieldErrors } from './shared.ts';

const AddBody = formBody({ code: 200 });
const LimitsBody = formBody({ ...Object.fromEntries(SUBTITLE_LIMIT_FIELDS.map(({ name }) => [name, 50])), reset: 1 });
const ToggleBody = Type.Object({
  enabled: Type.Union([Type.Literal('1'), Type.Literal('0')]),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});

/**
 * PostgreSQL names its text-search configurations after languages in English ('german',
 * 'portuguese'); a language whose English name matches one gets it, every other 'simple'.
 */
export function searchConfigFor(code: string, available: ReadonlySet<string>): string {
  const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
  const candidates: string[] = [];
  for (const tag of [bcp47(code), code.split('-')[0]!]) {
    try {
      const name = names.of(tag)?.toLowerCase();
      // "Norwegian Bokmål" → norwegian; "Brazilian Portuguese" falls through to the base code, "Portuguese".
      if (name) candidates.push(name, name.split(/[\s(]/)[0]!);
    } catch {
      // Not a structurally valid tag for Intl: no name, so no configuration.
    }
  }
  return candidates.find((name) => available.has(name)) ?? 'simple';
}

/** The site's languages (languages.manage): add one, enable or disable it, set its subtitle limits. */
export async function languageRoutes(app: FastifyInstance) {
  const { languages } = app.services.repositories;

  async function render(request: FastifyRequest, reply: FastifyReply, extra: Partial<Pick<LanguagesPageData, 'code' | 'errors' | 'error' | 'limitsForm'>>, status = 200) {
    const context = request.pageContext(reply, request.language, { forms: true });
    const data = { languages: await languages.list(), code: '', errors: {}, saved: status === 200 && wasSaved(request), ...extra };
    return sendPage(reply, languagesPage(context, data), status);
  }

  app.get('/languages', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    authorize(request, 'languages.manage');
    return render(request, reply, {});
  });

  app.post('/languages', { schema: { body: AddBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'languages.manage');
    const typed = fieldValue(request.body, 'code');
    const code = normalizeLanguageCode(typed);
    const existing = await languages.list();
    const errors: FieldErrors = {};
    const problem = checkText(code, LANGUAGE_CODE_LIMIT, true)
      ?? (isKnownLanguage(code) ? undefined : 'admin-languages-error-unknown')
      ?? (existing.some((l) => l.code === code) ? 'admin-languages-error-exists' : undefined);
    if (problem) errors.code = problem;
    if (Object.keys(errors).length) return render(request, reply, { code: typed, errors }, 400);
    const searchConfig = searchConfigFor(code, await languages.searchConfigs());
    const position = Math.max(-1, ...existing.map((l) => l.position)) + 1;
    await languages.upsert({ ...describeLanguage(code), fallbacks: [], searchConfig, enabled: true, position });
    app.forgetLanguages();
    return reply.redirect(`/${request.language.code}/admin/languages?saved=1`, 303);
  });

  app.post('/languages/:code', { schema: { body: ToggleBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'languages.manage');
    const { code } = request.params as { code: string };
    const language = (await languages.list()).find((l) => l.code === code);
    if (!language) throw notFound('language');
    const enabled = (request.body as { enabled: '1' | '0' }).enabled === '1';
    // English is the source language and the last fallback of every message.
    if (!enabled && language.code === SOURCE_LANGUAGE) return render(request, reply, { error: 'admin-languages-error-source' }, 400);
    await languages.setEnabled(language.code, enabled);
    app.forgetLanguages();
    // Disabling the language of this very page: its addresses stop working, so continue in English.
    const pageLanguage = !enabled && language.code === request.language.code ? SOURCE_LANGUAGE : request.language.code;
    return reply.redirect(`/${pageLanguage}/admin/languages?saved=1`, 303);
  });

  app.post('/languages/:code/subtitle-limits', { schema: { body: LimitsBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'languages.manage');
    const { code } = request.params as { code: string };
    if (!(await languages.list()).some((l) => l.code === code)) throw notFound('language');
    if (fieldValue(request.body, 'reset') === '1') {
      await languages.saveSubtitleLimits(code, null);
    } else {
      const values = Object.fromEntries(SUBTITLE_LIMIT_FIELDS.map(({ name }) => [name, fieldValue(request.body, name)]));
      const read = readSubtitleLimits(values);
      if ('errors' in read) return render(request, reply, { limitsForm: { code, values, errors: read.errors } }, 400);
      await languages.saveSubtitleLimits(code, read.limits);
    }
    app.forgetLanguages();
    return reply.redirect(`/${request.language.code}/admin/languages?saved=1#limits-${code}`, 303);
  });
}
