import { type Response } from 'express';
import { type ServicesClient, type Upstream, problemText } from '../api/services.client';
import { type UpstreamService } from '../console.config';
import { type Session } from '../session/session.store';

/** The form body of a POST (urlencoded), field by field, without the anti-forgery token. */
export function formField(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * Performs a confirmed action through a service API with the person's token; on success the browser goes to
 * `done` (303, so a reload does not repeat it); on refusal the problem's words are returned for the page to show.
 */
export async function perform(
  services: ServicesClient,
  session: Session | undefined,
  res: Response,
  action: { service: UpstreamService; path: string; body: unknown; method?: string; done: string },
): Promise<string | undefined> {
  const r = await services.post(session, action.service, action.path, action.body, action.method ?? 'POST');
  if (r.status >= 200 && r.status < 300) {
    res.redirect(303, action.done);
    return undefined;
  }
  return problemText(r.body) || `HTTP ${r.status}`;
}

/** A page of a list answer: a bare array (next cursor in the `Next-Cursor` header) or `{ items, nextCursor }`. */
export function itemsOf<T>(r: Upstream<unknown>): { items: T[]; nextCursor: string | null } {
  if (r.status !== 200) return { items: [], nextCursor: null };
  if (Array.isArray(r.body)) return { items: r.body as T[], nextCursor: r.headers.get('next-cursor') };
  const b = (r.body ?? {}) as { items?: T[]; nextCursor?: string | null };
  return { items: Array.isArray(b.items) ? b.items : [], nextCursor: b.nextCursor ?? null };
}
