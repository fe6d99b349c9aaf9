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
