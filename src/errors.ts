/** Named errors with an HTTP status and a stable code; the central handler turns them into pages or JSON. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what = 'page') => new AppError(404, 'not_found', `No such ${what}`);
export const unknownLanguage = (code: string) =>
  new AppError(404, 'unknown_language', `No such language: ${code}`, { language: code });
export const notSignedIn = () => new AppError(401, 'not_signed_in', 'Sign in first');
export const forbidden = () => new AppError(403, 'forbidden', 'Not allowed');
export const invalidInput = (fields: Record<string, string>) =>
  new AppError(400, 'invalid_input', 'Some fields need attention', { fields });
export const revisionConflict = (current: number) =>
  new AppError(409, 'revision_conflict', 'Changed by someone else since it was opened', { current });
export const tooManyRequests = () => new AppError(429, 'rate_limited', 'Too many requests, wait a minute');
/** Links to an e-mail address (new addresses, links sent again) are limited per hour: the page says to wait an hour. */
export const tooManyConfirmationMails = () =>
  new AppError(429, 'rate_limited', 'Too many confirmation mails, wait an hour', {
    messageKey: 'account-email-error-too-many',
  });
export const tooLarge = (maxBytes: number) =>
  new AppError(413, 'too_large', `The file is larger than the limit of ${maxBytes} bytes`, { maxBytes });
export const notAVideo = (reason?: string) =>
  new AppError(400, 'not_a_video', 'ffprobe found no video stream in this file', reason ? { reason } : {});
export const invalidStorageKey = (key: string) =>
  new AppError(
    400,
    'invalid_storage_key',
    'A storage key is relative, made of letters, digits, dots, dashes and underscores',
    { key },
  );
export const mediaToolFailed = (tool: string, reason: string) =>
  new AppError(500, 'media_tool_failed', `${tool} failed: ${reason}`, { tool });
/** oEmbed answers in JSON only (its specification allows 501 for a format a provider does not offer). */
export const formatNotOffered = (format: string) =>
  new AppError(501, 'format_not_offered', `Only format=json is offered, not ${format}`, { format });

// The monthly celebration. Each refusal carries its message key (`messageKey`, a `celebration-error-…`
// message) for the page or the JSON that reports it.
const celebrationError = (status: number, code: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(status, `celebration_${code}`, message, {
    messageKey: `celebration-error-${code.replace(/_/g, '-')}`,
    ...details,
  });
export const celebrationClosed = (step: string) =>
  celebrationError(409, 'closed', `The cycle does not take this now (${step})`, { step });
export const alreadyVoted = () =>
  celebrationError(409, 'already_voted', 'This account has voted in this cycle already');
export const notAVoter = () => celebrationError(403, 'not_a_voter', 'Only the committee votes in this cycle');
export const notACandidate = () =>
  celebrationError(409, 'not_a_candidate', 'Votes go only to nominations whose nominee agreed');
export const consentLinkInvalid = () => celebrationError(404, 'link_invalid', 'This consent link is not valid');
export const consentLinkUsed = () => celebrationError(410, 'link_used', 'This consent link has been used already');
export const consentLinkExpired = () => celebrationError(410, 'link_expired', 'This consent link has expired');
export const notTheNominee = () =>
  celebrationError(403, 'not_the_nominee', 'Only the nominee (or, for a bot, an operator) can answer');
export const notAwaitingConsent = () =>
  celebrationError(409, 'not_awaiting_consent', 'This nomination is not waiting for an answer');
export const alreadySeconded = () =>
  celebrationError(409, 'already_seconded', 'You have seconded this nomination already');
export const ownNomination = () => celebrationError(409, 'own_nomination', 'This is your own nomination');
export const notYourNomination = () => celebrationError(403, 'not_your_nomination', 'Only its nominator can do this');
export const illegalTransition = (from: string, to: string) =>
  celebrationError(409, 'illegal_transition', `A cycle cannot move from ${from} to ${to}`, { from, to });
export const phaseMoved = (current: string) =>
  celebrationError(409, 'phase_moved', 'The cycle has moved on since the page was opened', { current });
export const resultsHidden = () =>
  celebrationError(403, 'results_hidden', 'The results are shown when the vote has closed');
export const notAnnounced = () => celebrationError(409, 'not_announced', 'The cycle has no announced honoree yet');
/** An upload that is not one of the image types taken (checked by its bytes, not its name). */
export const notAnImage = (accepted: readonly string[]) =>
  new AppError(415, 'not_an_image', `The file is not an image of a type taken here (${accepted.join(', ')})`, {
    accepted,
  });

// Personal API tokens (services/tokens.ts). A refused token is told apart (unknown, revoked,
// expired) so its owner knows whether to make a new one.
export const invalidToken = () => new AppError(401, 'invalid_token', 'This API token is not known');
export const tokenRevoked = () => new AppError(401, 'token_revoked', 'This API token has been revoked');
export const tokenExpired = () => new AppError(401, 'token_expired', 'This API token has expired');
export const tokenInUrl = (parameter: string) =>
  new AppError(400, 'token_in_url', `Send the token in the Authorization header, never in the URL (${parameter})`, {
    parameter,
  });
export const insufficientScope = (scope: string | null) =>
  new AppError(
    403,
    'insufficient_scope',
    scope ? `This API token needs the "${scope}" scope for this` : 'This is never done with an API token',
    { scope },
  );
