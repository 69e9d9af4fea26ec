import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ServicesClient } from '../api/services.client';
import { Page } from '../auth/page-access';
import { type UpstreamService } from '../console.config';
import { age, confirmation, field, outcome, query, table, textarea, when } from '../web/components';
import { type SafeHtml, html } from '../web/html';
import { type MessageKey } from '../web/i18n';
import { page } from '../web/layout';
import { View, type ViewContext } from '../web/view-context';
import { formField, itemsOf, perform } from './actions';

interface QueueSummary {
  name: string;
  count: number;
  oldestAt: string | null;
  deadlines?: { alertAt: string; rejectAt: string };
}

const SUMMARIES: readonly [UpstreamService, string][] = [
  ['routing', '/queues/manual-routing'],
  ['intake', '/queues/scan-classification'],
  ['payment', '/queues/payment'],
];

interface ManualItem {
  itemId: string;
  caseId: string;
  reason: string;
  status: string;
  createdAt: string;
}

const DONE: Record<string, MessageKey> = { assigned: 'queues.assigned', resolved: 'queues.resolved', 'not-ours': 'queues.notOursDone' };

/** The work queues: counts and age, oldest first; manual routing (assign to a procedure). */
@Controller('queues')
export class QueuesController {
  constructor(private readonly services: ServicesClient) {}

  @Page('queue:work')
  @Get()
  async overview(@View() view: ViewContext): Promise<string> {
    const t = view.t;
    const rows: {
      queue: string;
      href: string;
      count: number | undefined;
      oldestAt: string | null;
      deadlines?: QueueSummary['deadlines'];
    }[] = [];
    for (const [service, href] of SUMMARIES) {
      const r = await this.services.get<{ queues: QueueSummary[] }>(view.session, service, '/v1/queues/summary').catch(() => undefined);
      const queues = r?.status === 200 && Array.isArray(r.body?.queues) ? r.body.queues : undefined;
      if (!queues) rows.push({ queue: service, href, count: undefined, oldestAt: null });
      for (const q of queues ?? [])
        rows.push({
          queue: q.name,
          href: q.name.includes('fit') ? '/cases?channel=fit-connect' : href,
          count: q.count,
          oldestAt: q.oldestAt,
          ...(q.deadlines ? { deadlines: q.deadlines } : {}),
        });
    }
    return page(
      view,
      t('queues.title'),
      table(view, t('queues.summary'), [t('queues.queue'), t('queues.count'), t('queues.oldest'), t('queues.deadlines')], rows, (r) => [
        html`<a href="${r.href}">${r.queue}</a>`,
        r.count === undefined ? t('queues.unknown') : String(r.count),
        r.oldestAt ? html`${when(view, r.oldestAt)} (${age(view, r.oldestAt)})` : '–',
        r.deadlines
          ? html`${t('queues.alertAt')} ${when(view, r.deadlines.alertAt)}, ${t('queues.rejectAt')} ${when(view, r.deadlines.rejectAt)}`
          : '–',
      ]),
    );
  }

  @Page('queue:work')
  @Get('manual-routing')
  async manualRouting(@View() view: ViewContext, @Query('cursor') cursor?: string, @Query('done') done?: string): Promise<string> {
    const t = view.t;
    const r = await this.services.get<unknown>(view.session, 'routing', `/v1/manual-routing${query({ limit: 50, cursor })}`);
    const { items, nextCursor } = itemsOf<ManualItem>(r);
    const open = items.filter((i) => i.status === 'open').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const body = html`${doneNotice(view, done)}
    ${table(view, t('queues.manualRouting'), [t('cases.caseId'), t('queues.reason'), t('queues.since'), t('queues.assign')], open, (i) => [
      html`<a href="/cases/${i.caseId}">${i.caseId}</a>`,
      i.reason,
      html`${when(view, i.createdAt)} (${age(view, i.createdAt)})`,
      html`<form method="get" action="/queues/manual-routing/${i.itemId}/assign">
        ${field({ name: 'procedureId', label: t('queues.procedureFor', { id: i.caseId.slice(0, 8) }), required: true })}<button
          type="submit"
        >
          ${t('queues.assign')}
        </button>
      </form>`,
    ])}${nextCursor ? html`<p><a href="/queues/manual-routing${query({ cursor: nextCursor })}">${t('list.next')}</a></p>` : ''}`;
    return page(view, t('queues.manualRouting'), body);
  }

  @Page('queue:work')
  @Get('manual-routing/:itemId/assign')
  confirmAssign(@View() view: ViewContext, @Param('itemId') itemId: string, @Query('procedureId') procedureId = ''): string {
    return this.assignPage(view, itemId, procedureId, undefined);
  }

  private assignPage(view: ViewContext, itemId: string, procedureId: string, error: string | undefined): string {
    const t = view.t;
    return page(
      view,
      t('queues.confirmAssign'),
      html`${error ? outcome('error', error) : ''}${confirmation(view, {
        question: t('queues.confirmAssignText', { procedure: procedureId }),
        facts: [
          [t('queues.procedure'), procedureId],
          [t('queues.item'), itemId],
        ],
        action: `/queues/manual-routing/${encodeURIComponent(itemId)}/assign`,
        fields: { procedureId },
        extra: textarea({ name: 'note', label: t('queues.note') }),
        confirmLabel: t('queues.assign'),
        cancelHref: '/queues/manual-routing',
      })}`,
    );
  }

  @Page('queue:work')
  @Post('manual-routing/:itemId/assign')
  async assign(@View() view: ViewContext, @Param('itemId') itemId: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const procedureId = formField(body, 'procedureId');
    const note = formField(body, 'note');
    const error = await perform(this.services, view.session, res, {
      service: 'routing',
      path: `/v1/manual-routing/${encodeURIComponent(itemId)}/resolve`,
      body: { procedureId, ...(note ? { note } : {}) },
      done: '/queues/manual-routing?done=assigned',
    });
    if (error) res.status(422).send(this.assignPage(view, itemId, procedureId, error));
  }
}

export function doneNotice(view: ViewContext, done: string | undefined): SafeHtml | '' {
  return done && DONE[done] ? outcome('ok', view.t(DONE[done])) : '';
}
