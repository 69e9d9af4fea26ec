import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Request } from 'express';
import { type Session } from '../session/session.store';
import { type Lang, type MessageKey, translate } from './i18n';

/** A request of the console: the session and language the guard and middleware found. */
export interface ConsoleRequest extends Request {
  consoleSession?: Session;
  lang?: Lang;
}

/** What every page template needs: language, translations, who is signed in, the form token, where we are. */
export interface ViewContext {
  lang: Lang;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  session: Session | undefined;
  /** The path and query of this page (for the language switch and sign-in return). */
  path: string;
  can: (permission: string) => boolean;
}

export function viewContextOf(req: ConsoleRequest): ViewContext {
  const lang = req.lang ?? 'de';
  const session = req.consoleSession;
  const granted = new Set(session?.user?.permissions ?? []);
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    session,
    path: req.originalUrl,
    can: (permission) => granted.has(permission),
  };
}

/** The view context of the current request. */
export const View = createParamDecorator((_data: unknown, ctx: ExecutionContext): ViewContext => {
  return viewContextOf(ctx.switchToHttp().getRequest<ConsoleRequest>());
});
