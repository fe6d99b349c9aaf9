import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SOURCE_LANGUAGE } from '../../../domain/languages/languages.ts';
import { notFound } from '../../../errors.ts';
import type { LanguageRow } from '../../../store/repositories/languages.ts';
import type { LocalizedNames } from '../../../store/schema.ts';
import {
  VOCABULARY_LIMITS, vocabularyEditPage, vocabularyListPage,
  type VocabularyEntry, type VocabularyForm, type VocabularyKind,
} from '../../views/pages/admin/vocabulary.ts';
import { authorize, sendPage } from '../site/index.ts';
import { checkText, fieldValue, idParam, SavedQuery, SLUG, wasSaved, type FieldErrors } from './shared.ts';

// The slug and one `name-<code>` field per enabled language (which languages can change while the site runs).
const VocabularyBody = Type.Object(
  { slug: Type.Optional(Type.String({ maxLength: 1000 })), _csrf: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: Type.String({ maxLength: 2000 }), maxProperties: 300 },
);

/** The form as sent; a language without a field (enabled after the form was opened) keeps its name. */
function readForm(body: unknown, languages: LanguageRow[], existing: LocalizedNames = {}): VocabularyForm {
  const sent = (name: string) => typeof (body as Record<string, unknown> | undefined)?.[name] === 'string';
  return {
    slug: fieldValue(body, 'slug'),
    names: Object.fromEntries(languages.map((l) => [l.code, sent(`name-${l.code}`) ? fieldValue(body, `name-${l.code}`) : existing[l.code] ?? ''])),
  };
}

const toForm = (entry: VocabularyEntry, languages: LanguageRow[]): VocabularyForm => ({
  slug: entry.slug,
  names: Object.fromEntries(languages.map((l) => [l.code, entry.names[l.code] ?? ''])),
});

/**
 * Checks the form; returns the slug and the names to save, or each field's problem. Names in
 * languages not shown (disabled ones) are kept; an emptied name is removed.
 */
function validate(form: VocabularyForm, languages: LanguageRow[], existing: LocalizedNames): { slug: string; names: LocalizedNames } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const slug = form.slug.trim();
  const slugError = checkText(slug, VOCABULARY_LIMITS.slug, true) ?? (SLUG.test(slug) ? undefined : 'form-error-slug');
  if (slugError) errors.slug = slugError;
  const names = { ...existing };
  for (const language of languages) {
    const name = (form.names[language.code] ?? '').trim().normalize('NFC');
    const error = checkText(name, VOCABULARY_LIMITS.name, language.code === SOURCE_LANGUAGE);
    if (error) errors[`name-${language.code}`] = error;
    if (name) names[language.code] = name;
    else delete names[language.code];
  }
  return Object.keys(errors).length ? { errors } : { slug, names };
}

/** Regions and themes (catalog.manage): list, add, edit; one set of routes for each. */
export async function vocabularyRoutes(app: FastifyInstance) {
  const { catalog } = app.services.repositories;

  for (const kind of ['regions', 'themes'] as const satisfies VocabularyKind[]) {
    const list = (): Promise<Array<VocabularyEntry & { position?: number }>> => (kind === 'regions' ? catalog.regions() : catalog.themes());

    /** Creates or updates; false when another entry has the slug. */
    async function store(values: { slug: string; names: LocalizedNames }, existing?: VocabularyEntry & { position?: number }) {
      if (kind === 'themes') return catalog.saveTheme({ ...values, ...(existing ? { id: existing.id } : {}) });
      if (existing) return catalog.saveRegion({ ...values, id: existing.id, position: existing.position ?? 0 });
      const last = Math.max(-1, ...(await catalog.regions()).map((r) => r.position));
      return catalog.saveRegion({ ...values, position: last + 1 });
    }

    async function find(request: FastifyRequest) {
      const id = idParam(request);
      const entry = (await list()).find((e) => e.id === id);
      if (!entry) throw notFound(kind === 'regions' ? 'region' : 'theme');
      return entry;
    }

    async function renderList(request: FastifyRequest, reply: FastifyReply, form: VocabularyForm | null, errors: FieldErrors, status = 200) {
      const languages = await app.enabledLanguages();
      const context = request.pageContext(reply, request.language, { forms: true });
      const data = { entries: await list(), form: form ?? readForm({}, languages), errors, saved: status === 200 && wasSaved(request) };
      return sendPage(reply, vocabularyListPage(context, kind, data), status);
    }

    async function renderEdit(request: FastifyRequest, reply: FastifyReply, entry: VocabularyEntry, form: VocabularyForm | null, errors: FieldErrors, status = 200) {
      const languages = await app.enabledLanguages();
      const context = request.pageContext(reply, request.language, { forms: true });
      return sendPage(reply, vocabularyEditPage(context, kind, { entry, form: form ?? toForm(entry, languages), errors }), status);
    }

    async function save(request: FastifyRequest, existing?: VocabularyEntry & { position?: number }): Promise<{ form: VocabularyForm; errors: FieldErrors } | null> {
      const languages = await app.enabledLanguages();
      const form = readForm(request.body, languages, existing?.names);
      const result = validate(form, languages, existing?.names ?? {});
      if ('errors' in result) return { form, errors: result.errors };
      if (!(await store(result, existing))) return { form, errors: { slug: 'admin-error-slug-taken' } };
      return null;
    }

    app.get(`/${kind}`, { schema: { querystring: SavedQuery } }, async (request, reply) => {
      authorize(request, 'catalog.manage');
      return renderList(request, reply, null, {});
    });

    app.post(`/${kind}`, { schema: { body: VocabularyBody }, preHandler: app.csrfProtection }, async (request, reply) => {
      authorize(request, 'catalog.manage');
      const problem = await save(request);
      if (problem) return renderList(request, reply, problem.form, problem.errors, 400);
      return reply.redirect(`/${request.language.code}/admin/${kind}?saved=1`, 303);
    });

    app.get(`/${kind}/:id`, async (request, reply) => {
      authorize(request, 'catalog.manage');
      return renderEdit(request, reply, await find(request), null, {});
    });

    app.post(`/${kind}/:id`, { schema: { body: VocabularyBody }, preHandler: app.csrfProtection }, async (request, reply) => {
      authorize(request, 'catalog.manage');
      const entry = await find(request);
      const problem = await save(request, entry);
      if (problem) return renderEdit(request, reply, entry, problem.form, problem.errors, 400);
      return reply.redirect(`/${request.language.code}/admin/${kind}?saved=1`, 303);
    });
  }
}
