import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ServicesClient, problemText } from '../api/services.client';
import { Page } from '../auth/page-access';
import { confirmation, field, outcome, query, table, when } from '../web/components';
import { type SafeHtml, html } from '../web/html';
import { page } from '../web/layout';
import { View, type ViewContext } from '../web/view-context';
import { formField, perform } from './actions';

interface Procedure {
  procedureId: string;
  tenantArs: string;
  name: string;
  topic: string;
  requiredLevelOfAssurance: string;
  writtenFormRequired: boolean;
  active: boolean;
}

interface RuleVersion {
  ruleId: string;
  version: number;
  leikaKey: string;
  arsPrefix: string;
  procedureId: string;
  validFrom: string;
  validTo: string | null;
}

const RULE_FIELDS = ['leikaKey', 'arsPrefix', 'procedureId'] as const;

/** Administration for tenant-admins: procedures, routing rules with their versions, and the routing tester. */
@Controller('admin')
export class AdminController {
  constructor(private readonly services: ServicesClient) {}

  @Page('config:read')
  @Get()
  index(@View() view: ViewContext): string {
    const t = view.t;
    const links: [string, string][] = [
      ['/admin/procedures', t('admin.procedures')],
      ['/admin/rules', t('admin.rules')],
      ['/admin/rules/test', t('admin.tester')],
      ['/admin/fees', t('admin.fees')],
      ['/admin/mailboxes', t('admin.mailboxes')],
    ];
    return page(
      view,
      t('admin.title'),
      html`<ul>
        ${links.map(([href, label]) => html`<li><a href="${href}">${label}</a></li>`)}
      </ul>`,
    );
  }

  @Page('config:read')
  @Get('procedures')
  async procedures(@View() view: ViewContext): Promise<string> {
    const t = view.t;
    const r = await this.services.get<Procedure[]>(view.session, 'routing', '/v1/admin/procedures');
    const rows = Array.isArray(r.body) ? r.body : [];
    return page(
      view,
      t('admin.procedures'),
      table(
        view,
        t('admin.procedures'),
        [
          t('admin.procedureId'),
          t('admin.name'),
          t('cases.tenant'),
          t('admin.topic'),
          t('admin.loa'),
          t('admin.writtenForm'),
          t('admin.active'),
        ],
        rows,
        (p) => [
          p.procedureId,
          p.name,
          p.tenantArs,
          p.topic,
          p.requiredLevelOfAssurance,
          p.writtenFormRequired ? t('common.yes') : t('common.no'),
          p.active ? t('common.yes') : t('common.no'),
        ],
      ),
    );
  }

  @Page('config:read')
  @Get('rules')
  async rules(@View() view: ViewContext, @Query('done') done?: string): Promise<string> {
    const t = view.t;
    const r = await this.services.get<RuleVersion[]>(view.session, 'routing', '/v1/admin/routing-rules');
    const versions = Array.isArray(r.body) ? r.body : [];
    const byRule = new Map<string, RuleVersion[]>();
    for (const v of versions) byRule.set(v.ruleId, [...(byRule.get(v.ruleId) ?? []), v]);
    const sections = [...byRule].map(([ruleId, vs]) => {
      const latest = vs[vs.length - 1]!;
      return html`<h2 id="rule-${ruleId}">${t('admin.rule', { id: ruleId })}</h2>
        ${table(
          view,
          t('admin.versions', { id: ruleId }),
          [t('admin.version'), t('cases.service'), t('admin.arsPrefix'), t('admin.procedureId'), t('admin.validFrom'), t('admin.validTo')],
          vs,
          (v) => [
            String(v.version),
            v.leikaKey,
            v.arsPrefix,
            v.procedureId,
            when(view, v.validFrom),
            v.validTo ? when(view, v.validTo) : t('admin.openEnded'),
          ],
        )}
        ${view.can('config:write')
          ? html`<p>
              <a
                class="button"
                href="/admin/rules/${ruleId}/change${query({
                  leikaKey: latest.leikaKey,
                  arsPrefix: latest.arsPrefix,
                  procedureId: latest.procedureId,
                })}"
                >${t('admin.changeRule', { id: ruleId })}</a
              >
            </p>`
          : ''}`;
    });
    return page(
      view,
      t('admin.rules'),
      html`${done ? outcome('ok', t('admin.ruleChanged')) : ''}
        <p><a href="/admin/rules/test">${t('admin.tester')}</a></p>
        ${sections}`,
    );
  }

  @Page('config:write')
  @Get('rules/:ruleId/change')
  changeForm(@View() view: ViewContext, @Param('ruleId') ruleId: string, @Query() q: Record<string, string | undefined>): string {
    return this.changePage(view, ruleId, q, undefined);
  }

  @Page('config:write')
  @Post('rules/:ruleId/change')
  async change(@View() view: ViewContext, @Param('ruleId') ruleId: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const values = Object.fromEntries(RULE_FIELDS.map((f) => [f, formField(body, f)]));
    const error = await perform(this.services, view.session, res, {
      service: 'routing',
      method: 'PUT',
      path: `/v1/admin/routing-rules/${encodeURIComponent(ruleId)}`,
      body: values,
      done: `/admin/rules?done=1#rule-${ruleId}`,
    });
    if (error) res.status(422).send(this.changePage(view, ruleId, values, error));
  }

  private changePage(view: ViewContext, ruleId: string, values: Record<string, string | undefined>, error: string | undefined): string {
    const t = view.t;
    const fields: SafeHtml[] = [
      field({ name: 'leikaKey', label: t('cases.service'), value: values['leikaKey'], required: true }),
      field({ name: 'arsPrefix', label: t('admin.arsPrefix'), value: values['arsPrefix'], required: true }),
      field({ name: 'procedureId', label: t('admin.procedureId'), value: values['procedureId'], required: true }),
    ];
    return page(
      view,
      t('admin.changeRule', { id: ruleId }),
      html`${error ? outcome('error', error) : ''}${confirmation(view, {
        question: t('admin.confirmChange'),
        facts: [[t('admin.ruleId'), ruleId]],
        action: `/admin/rules/${encodeURIComponent(ruleId)}/change`,
        fields: {},
        extra: html`${fields}`,
        confirmLabel: t('admin.saveVersion'),
        cancelHref: '/admin/rules',
      })}`,
    );
  }

  @Page('config:read')
  @Get('rules/test')
  async tester(@View() view: ViewContext, @Query('leikaKey') leikaKey = '', @Query('ars') ars = ''): Promise<string> {
    const t = view.t;
    let answer: SafeHtml | '' = '';
    if (leikaKey || ars) {
      const r = await this.services.get<{ procedureId: string | null; explanation: string; matchedRule?: unknown }>(
        view.session,
        'routing',
        `/v1/admin/routing-rules/test${query({ leikaKey, ars })}`,
      );
      answer =
        r.status === 200
          ? html`<section aria-labelledby="answer" role="status">
              <h2 id="answer">${t('admin.answer')}</h2>
              <dl class="facts">
                <dt>${t('admin.procedureId')}</dt>
                <dd>${r.body.procedureId ?? t('admin.noProcedure')}</dd>
                <dt>${t('admin.explanation')}</dt>
                <dd>${r.body.explanation}</dd>
              </dl>
            </section>`
          : outcome('error', problemText(r.body) || `HTTP ${r.status}`);
    }
    return page(
      view,
      t('admin.tester'),
      html`<p>${t('admin.testerText')}</p>
        <form method="get" action="/admin/rules/test" class="filters">
          ${field({ name: 'leikaKey', label: t('cases.service'), value: leikaKey, required: true })}${field({
            name: 'ars',
            label: t('admin.ars'),
            value: ars,
            required: true,
          })}
          <div class="field"><button type="submit">${t('admin.test')}</button></div>
        </form>
        ${answer}`,
    );
  }
}
