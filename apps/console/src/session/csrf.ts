import { timingSafeEqual } from 'node:crypto';

/** The form field every state-changing form carries. */
export const CSRF_FIELD = '_csrf';

/** Whether the token a form sent is the session's (constant time; a missing token never matches). */
export function csrfTokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
