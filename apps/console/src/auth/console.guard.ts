import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Logger } from '@poststelle/telemetry';
import { CSRF_FIELD, csrfTokenMatches } from '../session/csrf';
import { type Session } from '../session/session.store';
import { type ConsoleRequest } from '../web/view-context';
import { SIGN_IN_GATEWAY, type SignInGateway } from './oidc.gateway';
import { PAGE_ACCESS_KEY, type PageAccess, PageForbidden, SignInRequired } from './page-access';

const REFRESH_MARGIN_MS = 30_000;

/** Where to come back after sign-in: this page if it was a GET, else the start page. */
function returnTo(req: ConsoleRequest): string {
  return req.method === 'GET' ? req.originalUrl : '/';
}

/**
 * The console's one guard (default deny): an open page passes; every other needs a signed-in session (else back to
 * sign-in) whose person holds the page's permission (else 403), and a POST needs the session's anti-forgery token.
 * An access token about to expire is refreshed when a refresh token is kept; otherwise the person signs in again.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  private readonly log = new Logger('ConsoleGuard');

  constructor(
    private readonly reflector: Reflector,
    @Inject(SIGN_IN_GATEWAY) private readonly gateway: SignInGateway,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<PageAccess | undefined>(PAGE_ACCESS_KEY, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    if (access === 'open') return true;
    if (!access) throw new PageForbidden('permission', 'none declared');
    const session = req.consoleSession;
    if (!session?.user || !session.tokens) throw new SignInRequired(returnTo(req));
    await this.fresh(session, req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const given = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      if (!csrfTokenMatches(session.csrfToken, given)) throw new PageForbidden('csrf');
    }
    if (access !== 'signed-in' && !session.user.permissions.includes(access)) throw new PageForbidden('permission', access);
    return true;
  }

  private async fresh(session: Session, req: ConsoleRequest): Promise<void> {
    const tokens = session.tokens!;
    if (tokens.expiresAt - REFRESH_MARGIN_MS > Date.now()) return;
    if (!tokens.refreshToken) throw new SignInRequired(returnTo(req));
    try {
      session.tokens = { ...(await this.gateway.refresh(tokens.refreshToken)), ...(tokens.idToken ? { idToken: tokens.idToken } : {}) };
    } catch (error) {
      this.log.info('token refresh refused: sign-in again', { error: String(error) });
      throw new SignInRequired(returnTo(req));
    }
  }
}
