import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { notSignedIn, tooManyConfirmationMails } from '../../../errors.ts';
import { CsrfBody } from '../../forms.ts';
import { confirmationProblemPage, confirmEmailPage, emailConfirmedPage } from '../../views/pages/email-confirmation.ts';

type ShowAccount = (
  request: FastifyRequest,
  reply: FastifyReply,
  notice?: { type: 'success' | 'error'; key: string },
  status?: number,
  typedEmail?: { form: { email: string; language: string }; errors: Record<string, string> },
) => Promise<unknown>;

const EmailBody = Type.Object({
  email: Type.String({ maxLength: 2000 }),
  language: Type.String({ maxLength: 40 }),
  _csrf: Type.Optional(Type.String()),
});
/** A link's secret as mailed (43 characters); anything else up to the limit is answered as a link that is not valid. */
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * A person can make the site mail an address by saving a new one or asking for the link again:
 * both are limited per account and hour (counted in the database like every limit), so nobody can
 * use the site to flood a stranger's mailbox. Saving is allowed more often (it also sets the language).
 */
const SAVES_PER_HOUR = 10;
const LINKS_PER_HOUR = 5;
const perAccountAndHour = (max: number) => ({
  rateLimit: {
    max,
    timeWindow: '1 hour',
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => (request.user ? `user-${request.user.id}` : request.ip),
    errorResponseBuilder: () => tooManyConfirmationMails(),
  },
});

/** How a link that cannot be used is answered: one not sent by the site is not found; the others are gone. */
const PROBLEM_STATUS = { forged: 404, used: 410, expired: 410, superseded: 410 } as const;

/**
 * The account page's "E-mail and notifications": the address (or none) and the language mail is
 * written in, and confirming the address with the single-use link mailed to it. The link's page
 * works signed in or not (the token is the proof); only its button, a POST with a CSRF token,
 * confirms, so a scanner that opens links in mail confirms nothing.
 */
export const accountEmailRoutes: FastifyPluginAsyncTypebox<{ showAccount: ShowAccount }> = async (app, options) => {
  const { accounts, emailConfirmation } = app.services;
  const { showAccount } = options;
  const account = (request: FastifyRequest, done?: string) =>
    `/${request.language.code}/account${done ? `?done=${done}` : ''}`;

  app.post(
    '/account/email',
    { schema: { body: EmailBody }, preHandler: app.csrfProtection, config: perAccountAndHour(SAVES_PER_HOUR) },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      const form = { email: request.body.email, language: request.body.language };
      const errors = await accounts.setContact(request.user.id, form);
      if (errors) return showAccount(request, reply, { type: 'error', key: 'form-has-errors' }, 400, { form, errors });
      return reply.redirect(account(request, 'email-saved'), 303);
    },
  );

  app.post(
    '/account/email/remove',
    { schema: { body: CsrfBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      await accounts.removeEmail(request.user.id);
      return reply.redirect(account(request, 'email-removed'), 303);
    },
  );

  app.post(
    '/account/email/confirmation',
    { schema: { body: CsrfBody }, preHandler: app.csrfProtection, config: perAccountAndHour(LINKS_PER_HOUR) },
    async (request, reply) => {
      if (!request.user) throw notSignedIn();
      const outcome = await emailConfirmation.send(request.user.id);
      if (outcome === 'mail_off')
        return showAccount(request, reply, { type: 'error', key: 'account-email-mail-off' }, 409);
      // No address, or one confirmed meanwhile: the page shows what is so.
      return reply.redirect(outcome === 'sent' ? account(request, 'email-link-sent') : account(request), 303);
    },
  );

  app.get('/account/email/confirm/:token', { schema: { params: TokenParams } }, async (request, reply) => {
    const context = request.pageContext(reply, request.language, { forms: true });
    const link = await emailConfirmation.peek(request.params.token);
    if (link.state !== 'valid')
      return reply.page(confirmationProblemPage(context, link.state), PROBLEM_STATUS[link.state]);
    const action = `/${request.language.code}/account/email/confirm/${encodeURIComponent(request.params.token)}`;
    return reply.page(confirmEmailPage(context, { action, maskedEmail: link.maskedEmail }));
  });

  app.post(
    '/account/email/confirm/:token',
    { schema: { params: TokenParams, body: CsrfBody }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const outcome = await emailConfirmation.confirm(request.params.token);
      const context = request.pageContext(reply, request.language);
      if (outcome === 'confirmed') return reply.page(emailConfirmedPage(context));
      return reply.page(confirmationProblemPage(context, outcome), PROBLEM_STATUS[outcome]);
    },
  );
};
