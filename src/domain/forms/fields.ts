/** A field's problem as a message key, by field name. */
export type FieldErrors = Record<string, string>;

/** Lowercase words joined by single hyphens: the last part of an address. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Checks a trimmed text: required and at most `max` characters (not UTF-16 units); the error key or undefined. */
export function checkText(value: string, max: number, required: boolean): string | undefined {
  if (required && !value) return 'form-error-required';
  if ([...value].length > max) return 'form-error-too-long';
  return undefined;
}
