import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../../errors.ts';
import type { Person, PersonInput } from '../../../store/repositories/catalog.ts';
import {
  emptyPersonForm, PERSON_LIMITS, personEditPage, personToForm, peopleListPage, type PersonForm,
} from '../../views/pages/admin/people.ts';
import { authorize, sendPage } from '../site/index.ts';
import { checkText, fieldValue, formBody, idParam, SavedQuery, wasSaved, type FieldErrors } from './shared.ts';

const PersonBody = formBody({ displayName: 1000, username: 1000, homeWiki: 1000, photoUrl: 2000, bio: 10_000 });

function readForm(body: unknown): PersonForm {
  return {
    displayName: fieldValue(body, 'displayName'), username: fieldValue(body, 'username'), homeWiki: fieldValue(body, 'homeWiki'),
    photoUrl: fieldValue(body, 'photoUrl'), bio: fieldValue(body, 'bio'),
  };
}

const isHttpsUrl = (value: string) => /^https:\/\/[^\s/?#]+/i.test(value) && URL.canParse(value);

/**
 * Checks the form; returns what to save, or each field's problem. The bio is for `language`:
 * the person's bios in other languages are kept, and an empty bio removes this language's.
 */
function validate(form: PersonForm, language: string, bios: Record<string, string>): { input: PersonInput } | { errors: FieldErrors } {
  const clean = (value: string) => value.trim().normalize('NFC');
  const displayName = clean(form.displayName);
  const username = clean(form.username);
  const homeWiki = clean(form.homeWiki);
  const photoUrl = form.photoUrl.trim();
  const bio = clean(form.bio);
  const errors: FieldErrors = {};
  const check = (name: string, error: string | undefined) => { if (error) errors[name] = error; };
  check('displayName', checkText(displayName, PERSON_LIMITS.displayName, true));
  check('username', checkText(username, PERSON_LIMITS.username, true));
  check('homeWiki', checkText(homeWiki, PERSON_LIMITS.homeWiki, false));
  check('photoUrl', checkText(photoUrl, PERSON_LIMITS.photoUrl, false) ?? (photoUrl && !isHttpsUrl(photoUrl) ? 'admin-people-error-photo-url' : undefined));
  check('bio', checkText(bio, PERSON_LIMITS.bio, false));
  if (Object.keys(errors).length) return { errors };
  const merged = { ...bios };
  if (bio) merged[language] = bio;
  else delete merged[language];
  return { input: { displayName, username, homeWiki, photoUrl: photoUrl || null, bios: merged } };
}

/** People who tell stories (catalog.manage): list, add, edit. */
export async function peopleRoutes(app: FastifyInstance) {
  const { catalog } = app.services.repositories;

  async function findPerson(request: FastifyRequest): Promise<Person> {
    const [person] = await catalog.peopleByIds([idParam(request)]);
    if (!person) throw notFound('person');
    return person;
  }

  async function renderList(request: FastifyRequest, reply: FastifyReply, form: PersonForm, errors: FieldErrors, status = 200) {
    const context = request.pageContext(reply, request.language, { forms: true });
    return sendPage(reply, peopleListPage(context, { people: await catalog.people(), form, errors, saved: status === 200 && wasSaved(request) }), status);
  }

  function renderEdit(request: FastifyRequest, reply: FastifyReply, person: Person, form: PersonForm, errors: FieldErrors, status = 200) {
    const context = request.pageContext(reply, request.language, { forms: true });
    return sendPage(reply, personEditPage(context, { person, form, errors }), status);
  }

  /** Saves or returns the problems; a username someone else has is reported on its field. */
  async function save(form: PersonForm, language: string, existing?: Person): Promise<FieldErrors | null> {
    const result = validate(form, language, existing?.bios ?? {});
    if ('errors' in result) return result.errors;
    const saved = await catalog.savePerson({ ...result.input, ...(existing ? { id: existing.id } : {}) });
    return saved ? null : { username: 'form-error-username-taken' };
  }

  app.get('/people', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    authorize(request, 'catalog.manage');
    return renderList(request, reply, emptyPersonForm(), {});
  });

  app.post('/people', { schema: { body: PersonBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'catalog.manage');
    const form = readForm(request.body);
    const errors = await save(form, request.language.code);
    if (errors) return renderList(request, reply, form, errors, 400);
    return reply.redirect(`/${request.language.code}/admin/people?saved=1`, 303);
  });

  app.get('/people/:id', async (request, reply) => {
    authorize(request, 'catalog.manage');
    const person = await findPerson(request);
    return renderEdit(request, reply, person, personToForm(person, request.language.code), {});
  });

  app.post('/people/:id', { schema: { body: PersonBody }, preHandler: app.csrfProtection }, async (request, reply) => {
    authorize(request, 'catalog.manage');
    const person = await findPerson(request);
    const form = readForm(request.body);
    const errors = await save(form, request.language.code, person);
    if (errors) return renderEdit(request, reply, person, form, errors, 400);
    return reply.redirect(`/${request.language.code}/admin/people?saved=1`, 303);
  });
}
