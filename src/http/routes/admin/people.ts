import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PersonForm } from '../../../domain/catalog/forms.ts';
import type { Person } from '../../../domain/catalog/vocabulary.ts';
import type { FieldErrors } from '../../../domain/forms/fields.ts';
import { notFound } from '../../../errors.ts';
import { emptyPersonForm, personEditPage, personToForm, peopleListPage } from '../../views/pages/admin/people.ts';
import { formBody, IdParams, SavedQuery } from '../../forms.ts';

const PersonBody = formBody({ displayName: 1000, username: 1000, homeWiki: 1000, photoUrl: 2000, bio: 10_000 });

function readForm(body: {
  displayName?: string;
  username?: string;
  homeWiki?: string;
  photoUrl?: string;
  bio?: string;
}): PersonForm {
  return {
    displayName: body.displayName ?? '',
    username: body.username ?? '',
    homeWiki: body.homeWiki ?? '',
    photoUrl: body.photoUrl ?? '',
    bio: body.bio ?? '',
  };
}

/** People who tell stories (catalog.manage): list, add, edit. */
export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { people } = app.services;

  async function findPerson(id: string): Promise<Person> {
    const person = await people.find(Number(id));
    if (!person) throw notFound('person');
    return person;
  }

  async function renderList(
    request: FastifyRequest,
    reply: FastifyReply,
    form: PersonForm,
    errors: FieldErrors,
    status = 200,
    saved = false,
  ) {
    const context = request.pageContext(reply, request.language, { forms: true });
    return reply.page(peopleListPage(context, { people: await people.list(), form, errors, saved }), status);
  }

  function renderEdit(
    request: FastifyRequest,
    reply: FastifyReply,
    person: Person,
    form: PersonForm,
    errors: FieldErrors,
    status = 200,
  ) {
    const context = request.pageContext(reply, request.language, { forms: true });
    return reply.page(personEditPage(context, { person, form, errors }), status);
  }

  app.get('/people', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    request.authorize('catalog.manage');
    return renderList(request, reply, emptyPersonForm(), {}, 200, request.query.saved === '1');
  });

  app.post('/people', { schema: { body: PersonBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    request.authorize('catalog.manage');
    const form = readForm(request.body);
    const errors = await people.save(form, request.language.code);
    if (errors) return renderList(request, reply, form, errors, 400);
    return reply.redirect(`/${request.language.code}/admin/people?saved=1`, 303);
  });

  app.get('/people/:id', { schema: { params: IdParams } }, async (request, reply) => {
    request.authorize('catalog.manage');
    const person = await findPerson(request.params.id);
    return renderEdit(request, reply, person, personToForm(person, request.language.code), {});
  });

  app.post(
    '/people/:id',
    { schema: { params: IdParams, body: PersonBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('catalog.manage');
      const person = await findPerson(request.params.id);
      const form = readForm(request.body);
      const errors = await people.save(form, request.language.code, person);
      if (errors) return renderEdit(request, reply, person, form, errors, 400);
      return reply.redirect(`/${request.language.code}/admin/people?saved=1`, 303);
    },
  );
};
