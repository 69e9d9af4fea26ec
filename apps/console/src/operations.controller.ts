import { Controller, Get, Header, Res } from '@nestjs/common';
import { type Response } from 'express';
import { registry } from '@poststelle/telemetry';
import { OpenPage, Page } from './auth/page-access';
import { html } from './web/html';
import { CONSOLE_CSS } from './web/console.css';
import { SECTIONS, page } from './web/layout';
import { View, type ViewContext } from './web/view-context';

/** `/health`, `/metrics`, the style sheet, and the start page. */
@Controller()
export class OperationsController {
  @OpenPage()
  @Get('health')
  health(): { status: 'ok' } {
    // The console keeps nothing of its own but sessions in memory: it is up when it answers.
    return { status: 'ok' };
  }

  @OpenPage()
  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.type(registry.contentType).send(await registry.metrics());
  }

  @OpenPage()
  @Get('assets/console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  css(): string {
    return CONSOLE_CSS;
  }

  @Page('signed-in')
  @Get()
  home(@View() view: ViewContext): string {
    const open = SECTIONS.filter((s) => view.can(s.permission));
    return page(
      view,
      view.t('home.title'),
      open.length === 0
        ? html`<p class="notice">${view.t('home.nothing')}</p>`
        : html`<p>${view.t('home.intro')}</p>
            <ul>
              ${open.map((s) => html`<li><a href="${s.path}">${view.t(s.label)}</a></li>`)}
            </ul>`,
    );
  }
}
