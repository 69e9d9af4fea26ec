import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { type Response } from 'express';
import { Logger } from '@poststelle/telemetry';
import { PageForbidden, PageNotFound, SignInRequired, UpstreamFailure } from '../auth/page-access';
import { html } from './html';
import { page } from './layout';
import { type ConsoleRequest, viewContextOf } from './view-context';

/** Every failure as an HTML page in the person's language (or the way back to sign-in). */
@Catch()
export class ErrorPagesFilter implements ExceptionFilter {
  private readonly log = new Logger('ErrorPages');

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<ConsoleRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    const view = viewContextOf(req);
    if (error instanceof SignInRequired) {
      const back = req.method === 'GET' ? req.originalUrl : error.returnTo;
      res.redirect(303, `/sign-in?returnTo=${encodeURIComponent(back)}`);
      return;
    }
    const show = (status: number, title: string, text: string): void => {
      res
        .status(status)
        .type('html')
        .send(
          page(
            view,
            title,
            html`<p class="error" role="alert">${text}</p>
              <p><a href="/">${view.t('error.home')}</a></p>`,
          ),
        );
    };
    if (error instanceof PageForbidden) {
      return show(403, view.t('error.forbidden'), error.reason === 'csrf' ? view.t('error.csrf') : view.t('error.forbiddenText'));
    }
    if (error instanceof PageNotFound) return show(404, view.t('error.notFound'), view.t('error.notFoundText'));
    if (error instanceof UpstreamFailure) {
      this.log.warn('service failure shown', { service: error.service, status: error.status });
      return show(
        502,
        view.t('error.upstream'),
        view.t('error.upstreamText', { service: error.service, detail: error.detail || String(error.status ?? '') }),
      );
    }
    if (error instanceof HttpException && error.getStatus() < 500) {
      const status = error.getStatus();
      return status === 404
        ? show(404, view.t('error.notFound'), view.t('error.notFoundText'))
        : show(status, view.t('error.badRequest'), error.message);
    }
    this.log.error('page failed', { path: req.path, error: error instanceof Error ? error.message : String(error) });
    show(500, view.t('error.internal'), view.t('error.internalText'));
  }
}
