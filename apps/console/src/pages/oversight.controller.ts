import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ServicesClient } from '../api/services.client';
import { Page, PageNotFound } from '../auth/page-access';
import { CONSOLE_SETTINGS, type ConsoleSettings, SERVICE_NAMES } from '../console.config';
import { jsonBlock, table, when } from '../web/components';
import { html } from '../web/html';
import { page } from '../web/layout';
import { View, type ViewContext } from '../web/view-context';

interface Health {
  status: string;
  problems?: { code: string; detail: string }[];
  consumerLag?: { total?: number };
  outbox?: { backlog?: number; parked?: number };
  deadLetters?: { open?: number };
}

interface RepairAudit {
  at: string;
  actor: string;
  action: string;
  target: string;
  reason?: string;
}

// The dashboards of deploy/observability/grafana (their uids).
const GRAFANA_DASHBOARDS = ['poststelle', 'poststelle-mailroom'];
const SAFE_ID = /^[\w.-]{1,100}$/;

/** The health of the services, the audit logs, and the original inputs (scan batch, FIT-Connect submission). */
@Controller()
export class OversightController {
  constructor(
    private readonly services: ServicesClient,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @Page('ops:read')
  @Get('system')
  async health(@View() view: ViewContext): Promise<string> {
    const t = view.t;
    const answers = await Promise.all(SERVICE_NAMES.map(async (s) => [s, await this.services.open<Health>(s, '/health')] as const));
    const rows = answers.map(([service, r]) => ({ service, h: r?.body && typeof r.body === 'object' ? r.body : undefined }));
    const lag = (h: Health | undefined) => h?.consumerLag?.total ?? 0;
    const state = (h: Health | undefined) => (!h ? 'down' : h.status === 'ok' ? 'up' : h.status === 'degraded' ? 'degraded' : 'down');
    const grafana = this.settings.grafanaUrl;
    return page(
      view,
      t('health.title'),
      html`${table(
          view,
          t('health.services'),
          [t('health.service'), t('health.state'), t('health.reasons'), t('health.lag'), t('health.backlog'), t('health.deadLetters')],
          rows,
          ({ service, h }) => [
            service,
            html`<span class="status-${state(h)}">${t(`health.${state(h)}`)}</span>`,
            (h?.problems ?? []).map((p) => p.detail).join('; ') || '–',
            String(lag(h)),
            `${h?.outbox?.backlog ?? 0} (${t('health.parked', { n: h?.outbox?.parked ?? 0 })})`,
            String(h?.deadLetters?.open ?? 0),
          ],
        )}
        <h2>${t('health.grafana')}</h2>
        ${grafana
          ? html`<ul>
              ${GRAFANA_DASHBOARDS.map((d) => html`<li><a href="${grafana}/d/${d}">${d}</a></li>`)}
            </ul>`
          : html`<p>${t('health.noGrafana')}</p>`}`,
    );
  }

  @Page('audit:read')
  @Get('audit')
  async audit(@View() view: ViewContext): Promise<string> {
    const t = view.t;
    const repairs = (
      await Promise.all(
        SERVICE_NAMES.map(async (s) => {
          const r = await this.services
            .get<{ items: RepairAudit[] }>(view.session, s, '/v1/ops/repair-audit?limit=100')
            .catch(() => undefined);
          return (r?.status === 200 ? r.body.items : []).map((i) => ({ ...i, service: s }));
        }),
      )
    )
      .flat()
      .sort((a, b) => b.at.localeCompare(a.at));
    const admin = await this.services.get<{ actor: string; action: string; entityId: string; at: string }[]>(
      view.session,
      'routing',
      '/v1/admin/audit-log',
    );
    const changes = Array.isArray(admin.body) ? [...admin.body].reverse() : [];
    return page(
      view,
      t('audit.title'),
      html`${table(
        view,
        t('audit.repairs'),
        [t('audit.at'), t('audit.actor'), t('audit.action'), t('health.service'), t('audit.target'), t('audit.reason')],
        repairs,
        (a) => [when(view, a.at), a.actor, a.action, a.service, a.target, a.reason ?? '–'],
      )}${table(view, t('audit.config'), [t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target')], changes, (c) => [
        when(view, c.at),
        c.actor,
        c.action,
        c.entityId,
      ])}`,
    );
  }

  @Page('submission:read')
  @Get('originals/:kind/:id')
  async original(@View() view: ViewContext, @Param('kind') kind: string, @Param('id') id: string): Promise<string> {
    if (!SAFE_ID.test(id)) throw new PageNotFound();
    const path =
      kind === 'scan-batches' ? `/v1/scan/batches/${id}` : kind === 'fit-connect' ? `/v1/fit-connect/submissions/${id}/events` : undefined;
    if (!path) throw new PageNotFound();
    const r = await this.services.get<unknown>(view.session, 'intake', path);
    if (r.status !== 200) throw new PageNotFound();
    return page(
      view,
      kind === 'scan-batches' ? view.t('case.scanBatch', { batch: id }) : view.t('case.fitConnect', { id }),
      jsonBlock(view.t('originals.record'), r.body),
    );
  }
}
