import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { can, type Action } from '../../../domain/access/authorize.ts';
import { forbidden, notFound, notSignedIn } from '../../../errors.ts';

/** A field's problem as a message key, by field name. */
export type FieldErrors = Record<string, string>;

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Success notices after a redirect: ?saved=1. */
export const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 1 })) });
export const wasSaved = (request: FastifyRequest) => (request.query as { saved?: string }).saved === '1';

/**
 * The shape of a form post: every named field an optional string of at most `max` characters
 * (generous: the field checks report lengths in the form), plus the CSRF token.
 */
export function formBody(fields: Record<string, number>) {
  return Type.Object({
    ...Object.fromEntries(Object.entries(fields).map(([name, max]) => [name, Type.Optional(Type.String({ maxLength: max }))])),
    _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  });
}

/** A form field's value as typed; '' when absent. */
export function fieldValue(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** Checks a trimmed text: required and at most `max` characters; returns the error key or undefined. */
export function checkText(value: string, max: number, required: boolean): string | undefined {
  if (required && !value) return 'form-error-required';
  if ([...value].length > max) return 'form-error-too-long';
  return undefined;
}

/** The numeric id in the route's `:id`, or a 404 for anything else. */
export function idParam(request: FastifyRequest): number {
  const raw = (request.params as { id?: string }).id ?? '';
  const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw notFound();
  return id;
}

/** Refuses the request unless the signed-in user may perform at least one of `actions`; returns those allowed. */
export function authorizeAny(request: FastifyRequest, actions: readonly Action[]): Action[] {
  if (!request.user) throw notSignedIn();
  const allowed = actions.filter((action) => can(request.user!.grants, action));
  if (allowed.length === 0) throw forbidden();
  return allowed;
}
