import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { VocabularyForm, VocabularyKind } from '../../../domain/catalog/forms.ts';
import type { LocalizedNames } from '../../../domain/catalog/vocabulary.ts';
import type { FieldErrors } from '../../../domain/forms/fields.ts';
import type { LanguageRow } from '../../../domain/languages/languages.ts';
import { notFound } from '../../../errors.ts';
import type { VocabularyEntry } from '../../../services/vocabulary.ts';
import { vocabularyEditPage, vocabularyListPage } from '../../views/pages/admin/vocabulary.ts';
import { IdParams, SavedQuery } from '../../forms.ts';

// The slug and one `name-<code>` field per enabled language (which languages can change while the site runs).
const VocabularyBody = Type.Object(
  { slug: Type.Optional(Type.String({ maxLength: 1000 })), _csrf: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: Type.String({ maxLength: 2000 }), maxProperties: 300 },
);

/** The form as sent; a language without a field (enabled after the form was opened) keeps its name. */
function readForm(
  body: Record<string, string | undefined>,
  languages: LanguageRow[],
  existing: LocalizedNames = {},
): VocabularyForm {
  return {
    slug: body.slug ?? '',
    names: Object.fromEntries(languages.map((l) => [l.code, body[`name-${l.code}`] ?? existing[l.code] ?? ''])),
  };
}

const toForm = (entry: VocabularyEntry, languages: LanguageRow[]): VocabularyForm => ({
  slug: entry.slug,
  names: Object.fromEntries(languages.map((l) => [l.code, entry.names[l.code] ?? ''])),
});

/** Regions and themes (catalog.manage): list, add, edit; one set of routes for each. */
export const vocabularyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { vocabulary } = app.services;

  for (const kind of ['regions', 'themes'] as const satisfies VocabularyKind[]) {
    async function find(id: string) {
      const entry = await vocabulary.find(kind, Number(id));
      if (!entry) throw notFound(kind === 'regions' ? 'region' : 'theme');
      return entry;
    }

    async function renderList(
      request: FastifyRequest,
      reply: FastifyReply,
      form: VocabularyForm | null,
      errors: FieldErrors,
      status = 200,
      saved = false,
    ) {
      const languages = await app.enabledLanguages();
      const context = request.pageContext(reply, request.language, { forms: true });
      const data = { entries: await vocabulary.list(kind), form: form ?? readForm({}, languages), errors, saved };
      return reply.page(vocabularyListPage(context, kind, data), status);
    }

    async function renderEdit(
      request: FastifyRequest,
      reply: FastifyReply,
      entry: VocabularyEntry,
      form: VocabularyForm | null,
      errors: FieldErrors,
      status = 200,
    ) {
      const languages = await app.enabledLanguages();
      const context = request.pageContext(reply, request.language, { forms: true });
      return reply.page(
        vocabularyEditPage(context, kind, { entry, form: form ?? toForm(entry, languages), errors }),
        status,
      );
    }

    /** Saves the form (the enabled languages' names); the form and its problems, or null when saved. */
    async function save(
      body: Record<string, string | undefined>,
      existing?: VocabularyEntry,
    ): Promise<{ form: VocabularyForm; errors: FieldErrors } | null> {
      const languages = await app.enabledLanguages();
      const form = readForm(body, languages, existing?.names);
      const errors = await vocabulary.save(
        kind,
        form,
        languages.map((l) => l.code),
        existing,
      );
      return errors ? { form, errors } : null;
    }

    app.get(`/${kind}`, { schema: { querystring: SavedQuery } }, async (request, reply) => {
      request.authorize('catalog.manage');
      return renderList(request, reply, null, {}, 200, request.query.saved === '1');
    });

    app.post(
      `/${kind}`,
      { schema: { body: VocabularyBody }, preHandler: app.csrfProtection },
      async (request, reply) => {
        request.authorize('catalog.manage');
        const problem = await save(request.body);
        if (problem) return renderList(request, reply, problem.form, problem.errors, 400);
        return reply.redirect(`/${request.language.code}/admin/${kind}?saved=1`, 303);
      },
    );

    app.get(`/${kind}/:id`, { schema: { params: IdParams } }, async (request, reply) => {
      request.authorize('catalog.manage');
      return renderEdit(request, reply, await find(request.params.id), null, {});
    });

    app.post(
      `/${kind}/:id`,
      { schema: { params: IdParams, body: VocabularyBody }, preHandler: app.csrfProtection },
      async (request, reply) => {
        request.authorize('catalog.manage');
        const entry = await find(request.params.id);
        const problem = await save(request.body, entry);
        if (problem) return renderEdit(request, reply, entry, problem.form, problem.errors, 400);
        return reply.redirect(`/${request.language.code}/admin/${kind}?saved=1`, 303);
      },
    );
  }
};
