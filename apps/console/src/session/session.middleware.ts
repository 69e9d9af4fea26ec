import { type NextFunction, type Response } from 'express';
import { type ConsoleSettings } from '../console.config';
import { type Lang, isLang } from '../web/i18n';
import { type ConsoleRequest } from '../web/view-context';
import { parseCookies, serializeCookie } from './cookies';
import { type Session, type SessionStore } from './session.store';

export const LANG_COOKIE = 'console_lang';

/** The session cookie's name: `__Host-` prefixed when the console runs on https (then it must be Secure, Path=/). */
export function sessionCookieName(settings: ConsoleSettings): string {
  return settings.secureCookies ? '__Host-console_session' : 'console_session';
}

/** Sets (or, without a session, deletes) the HttpOnly, SameSite=Lax session cookie. */
export function writeSessionCookie(res: Response, settings: ConsoleSettings, session: Session | undefined): void {
  res.append(
    'Set-Cookie',
    serializeCookie(sessionCookieName(settings), session?.id ?? '', {
      httpOnly: true,
      secure: settings.secureCookies,
      ...(session ? {} : { maxAgeSeconds: 0 }),
    }),
  );
}

/** The language preference cookie (not secret, one year). */
export function writeLangCookie(res: Response, settings: ConsoleSettings, lang: Lang): void {
  res.append(
    'Set-Cookie',
    serializeCookie(LANG_COOKIE, lang, { httpOnly: true, secure: settings.secureCookies, maxAgeSeconds: 365 * 86400 }),
  );
}

/** Finds the request's session (by the cookie) and language (cookie, else the configured default). */
export function sessionMiddleware(store: SessionStore, settings: ConsoleSettings) {
  const name = sessionCookieName(settings);
  return (req: ConsoleRequest, _res: Response, next: NextFunction): void => {
    const cookies = parseCookies(req.headers.cookie);
    const session = store.get(cookies.get(name));
    if (session) req.consoleSession = session;
    const lang = cookies.get(LANG_COOKIE);
    req.lang = isLang(lang) ? lang : settings.defaultLanguage;
    next();
  };
}

/** Headers of every answer: no framing, no sniffing, no referrer, scripts only from the console, nothing cached. */
export function securityHeaders(_req: ConsoleRequest, res: Response, next: NextFunction): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  next();
}
