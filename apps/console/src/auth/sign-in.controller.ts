import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { type Response } from 'express';
import { TokenVerifier, permissionsOf } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { CONSOLE_SETTINGS, type ConsoleSettings } from '../console.config';
import { writeLangCookie, writeSessionCookie } from '../session/session.middleware';
import { SessionStore } from '../session/session.store';
import { html } from '../web/html';
import { isLang } from '../web/i18n';
import { page } from '../web/layout';
import { type ConsoleRequest, viewContextOf } from '../web/view-context';
import { SIGN_IN_GATEWAY, type SignInGateway } from './oidc.gateway';
import { OpenPage, Page } from './page-access';

/** A path of this console to return to: relative, starting with one slash (never another site). */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && !/[\r\n]/.test(value) ? value : '/';
}

const PENDING_MAX_AGE_MS = 10 * 60_000;

/** Sign-in (authorization code + PKCE at the OpenID provider), its callback, sign-out, and the language switch. */
@Controller()
export class SignInController {
  private readonly log = new Logger('SignIn');

  constructor(
    private readonly store: SessionStore,
    @Inject(SIGN_IN_GATEWAY) private readonly gateway: SignInGateway,
    private readonly verifier: TokenVerifier,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @OpenPage()
  @Get('sign-in')
  async signIn(@Req() req: ConsoleRequest, @Res() res: Response, @Query('returnTo') back?: string): Promise<void> {
    const returnTo = safeReturnPath(back);
    if (req.consoleSession?.user) return res.redirect(303, returnTo);
    const session = req.consoleSession ?? this.store.create();
    const { pending, url } = await this.gateway.begin(returnTo);
    session.pending = pending;
    writeSessionCookie(res, this.settings, session);
    res.redirect(303, url);
  }

  @OpenPage()
  @Get('callback')
  async callback(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const view = viewContextOf(req);
    const session = req.consoleSession;
    const pending = session?.pending;
    const failed = (reason: string) => {
      this.log.warn('sign-in failed', { reason });
      res.status(400).send(
        page(
          view,
          view.t('signIn.failed'),
          html`<p class="error" role="alert">${view.t('signIn.failedText')}</p>
            <p><a href="/sign-in">${view.t('signIn.again')}</a></p>`,
        ),
      );
    };
    if (!session || !pending || Date.now() - pending.startedAt > PENDING_MAX_AGE_MS)
      return failed('no sign-in in progress in this browser');
    delete session.pending;
    try {
      const tokens = await this.gateway.complete(new URL(req.originalUrl, this.settings.publicUrl), pending);
      const principal = await this.verifier.verify(tokens.accessToken);
      const signedIn = this.store.renew(session);
      signedIn.tokens = tokens;
      signedIn.user = {
        subject: principal.subject,
        roles: principal.roles,
        tenants: principal.tenants,
        permissions: [...permissionsOf(principal.roles)],
      };
      writeSessionCookie(res, this.settings, signedIn);
      this.log.info('signed in', { subject: principal.subject, roles: principal.roles });
      res.redirect(303, pending.returnTo);
    } catch (error) {
      failed(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  }

  @Page('signed-in')
  @Post('sign-out')
  async signOut(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    const session = req.consoleSession!;
    this.store.destroy(session.id);
    writeSessionCookie(res, this.settings, undefined);
    this.log.info('signed out', { subject: session.user?.subject });
    let target = '/signed-out';
    try {
      target = (await this.gateway.endSessionUrl(session.tokens?.idToken, `${this.settings.publicUrl}/signed-out`)) ?? target;
    } catch {
      // the provider does not answer: the console's session has ended anyway
    }
    res.redirect(303, target);
  }

  @OpenPage()
  @Get('signed-out')
  signedOut(@Req() req: ConsoleRequest): string {
    const view = viewContextOf(req);
    return page(
      view,
      view.t('signOut.title'),
      html`<p>${view.t('signOut.text')}</p>
        <p><a href="/sign-in">${view.t('signIn.again')}</a></p>`,
    );
  }

  @OpenPage()
  @Get('language')
  language(@Res() res: Response, @Query('to') to?: string, @Query('back') back?: string): void {
    if (isLang(to)) writeLangCookie(res, this.settings, to);
    res.redirect(303, safeReturnPath(back));
  }
}
