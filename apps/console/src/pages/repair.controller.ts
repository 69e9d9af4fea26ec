import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ServicesClient } from '../api/services.client';
import { Page, PageNotFound } from '../auth/page-access';
import { SERVICE_NAMES, type UpstreamService } from '../console.config';
import { confirmation, field, jsonBlock, outcome, query, table, textarea, when } from '../web/components';
import { html } from '../web/html';
import { page } from '../web/layout';
import { View, type ViewContext } from '../web/view-context';
import { formField, perform } from './actions';

interface DeadLetter {
  id: string;
  consumerGroup: string;
  sourceTopic: string;
  eventType?: string;
  errorCode: string;
  error: string;
  attempts: number;
  replayGeneration: number;
  failedAt: string;
  state: string;
  key?: string;
}

interface ParkedRow {
  seq: string;
  topic: string;
  eventType?: string;
  reasonCode: string;
  reason: string;
  parkedAt: string;
  state: string;
}

const ACTIONS = { replay: 'replay', discard: 'discard', retry: 'retry' } as const;
type Kind = 'dead-letters' | 'parked';

function serviceOf(name: string): UpstreamService {
  if (!(SERVICE_NAMES as readonly string[]).includes(name)) throw new PageNotFound();
  return name as UpstreamService;
}

/** Dead letters and parked outbox rows per service: inspect, replay one or a filtered set, retry, discard with a reason. */
@Controller('repair')
export class RepairController {
  constructor(private readonly services: ServicesClient) {}

  @Page('ops:read')
  @Get()
  async list(@View() view: ViewContext, @Query() q: Record<string, string | undefined>): Promise<string> {
    const t = view.t;
    const service = serviceOf(q['service'] || 'intake');
    const filter = { topic: q['topic'] ?? '', type: q['type'] ?? '', error: q['error'] ?? '' };
    const [dead, parked] = await Promise.all([
      this.services.get<{ items: DeadLetter[] }>(view.session, service, `/v1/ops/dead-letters${query({ ...filter, state: 'open' })}`),
      this.services.get<{ items: ParkedRow[] }>(view.session, service, `/v1/ops/outbox/parked${query({ state: 'parked' })}`),
    ]);
    const tabs = html`<nav aria-label="${t('repair.services')}">
      <ul class="pager">
        ${SERVICE_NAMES.map((s) =>
          s === service ? html`<li><strong aria-current="page">${s}</strong></li>` : html`<li><a href="/repair?service=${s}">${s}</a></li>`,
        )}
      </ul>
    </nav>`;
    const filters = html`<form class="filters" method="get" action="/repair">
      <input type="hidden" name="service" value="${service}" />
      ${field({ name: 'topic', label: t('repair.topic'), value: filter.topic })}${field({
        name: 'type',
        label: t('repair.type'),
        value: filter.type,
      })}${field({ name: 'error', label: t('repair.error'), value: filter.error })}
      <div class="field"><button type="submit">${t('action.filter')}</button></div>
    </form>`;
    const deadItems = dead.body?.items ?? [];
    const anyFilter = Object.values(filter).some(Boolean);
    return page(
      view,
      t('repair.title', { service }),
      html`${q['done'] ? outcome('ok', t('repair.done')) : ''}${tabs}
        <h2>${t('repair.deadLetters')}</h2>
        ${filters}
        ${table(
          view,
          t('repair.deadLetters'),
          [t('repair.failedAt'), t('repair.topic'), t('repair.type'), t('repair.error'), t('repair.generation')],
          deadItems,
          (d) => [
            html`<a href="/repair/${service}/dead-letters/${d.id}">${when(view, d.failedAt)}</a>`,
            d.sourceTopic,
            d.eventType ?? '–',
            `${d.errorCode}: ${d.error}`,
            String(d.replayGeneration),
          ],
        )}
        ${anyFilter && deadItems.length > 0
          ? html`<p>
              <a class="button" href="/repair/${service}/replay-matching${query(filter)}"
                >${t('repair.replayMatching', { n: deadItems.length })}</a
              >
            </p>`
          : ''}
        <h2>${t('repair.parked')}</h2>
        ${table(
          view,
          t('repair.parked'),
          [t('repair.parkedAt'), t('repair.topic'), t('repair.type'), t('repair.reason')],
          parked.body?.items ?? [],
          (p) => [
            html`<a href="/repair/${service}/parked/${p.seq}">${when(view, p.parkedAt)}</a>`,
            p.topic,
            p.eventType ?? '–',
            `${p.reasonCode}: ${p.reason}`,
          ],
        )}`,
    );
  }

  @Page('ops:read')
  @Get(':service/:kind/:id')
  async detail(
    @View() view: ViewContext,
    @Param('service') name: string,
    @Param('kind') kind: string,
    @Param('id') id: string,
  ): Promise<string> {
    const t = view.t;
    const service = serviceOf(name);
    const k = this.kind(kind);
    const path =
      k === 'dead-letters' ? `/v1/ops/dead-letters/${encodeURIComponent(id)}` : `/v1/ops/outbox/parked/${encodeURIComponent(id)}`;
    const r = await this.services.get<Record<string, unknown>>(view.session, service, path);
    if (r.status !== 200) throw new PageNotFound();
    const { headers, payload, ...facts } = r.body;
    const actions = k === 'dead-letters' ? [ACTIONS.replay, ACTIONS.discard] : [ACTIONS.retry, ACTIONS.discard];
    return page(
      view,
      k === 'dead-letters' ? t('repair.deadLetter') : t('repair.parkedRow'),
      html`<dl class="facts">
          ${Object.entries(facts).map(
            ([key, v]) =>
              html`<dt>${key}</dt>
                <dd>${typeof v === 'object' ? JSON.stringify(v) : String(v as string | number | boolean)}</dd>`,
          )}
        </dl>
        ${headers !== undefined ? jsonBlock(t('repair.headers'), headers) : ''}${payload !== undefined
          ? jsonBlock(t('repair.payload'), payload)
          : ''}
        ${facts['state'] === 'open' || facts['state'] === 'parked'
          ? html`<p>${actions.map((a) => html`<a class="button" href="/repair/${service}/${k}/${id}/${a}">${t(`repair.${a}`)}</a> `)}</p>`
          : ''}
        <p><a href="/repair?service=${service}">${t('repair.back')}</a></p>`,
    );
  }

  @Page('ops:repair')
  @Get(':service/replay-matching')
  confirmMatching(@View() view: ViewContext, @Param('service') name: string, @Query() q: Record<string, string | undefined>): string {
    return this.matchingPage(view, serviceOf(name), { topic: q['topic'] ?? '', type: q['type'] ?? '', error: q['error'] ?? '' }, undefined);
  }

  @Page('ops:repair')
  @Post(':service/replay-matching')
  async replayMatching(
    @View() view: ViewContext,
    @Param('service') name: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const service = serviceOf(name);
    const filter = { topic: formField(body, 'topic'), type: formField(body, 'type'), error: formField(body, 'error') };
    const reason = formField(body, 'reason');
    const set = Object.fromEntries(Object.entries(filter).filter(([, v]) => v));
    const error = await perform(this.services, view.session, res, {
      service,
      path: '/v1/ops/dead-letters/replay',
      body: { filter: set, ...(reason ? { reason } : {}) },
      done: `/repair?service=${service}&done=1`,
    });
    if (error) res.status(422).send(this.matchingPage(view, service, filter, error));
  }

  @Page('ops:repair')
  @Get(':service/:kind/:id/:action')
  confirm(
    @View() view: ViewContext,
    @Param('service') name: string,
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Param('action') action: string,
  ): string {
    return this.actionPage(view, serviceOf(name), this.kind(kind), id, this.action(action), undefined);
  }

  @Page('ops:repair')
  @Post(':service/:kind/:id/:action')
  async act(
    @View() view: ViewContext,
    @Param('service') name: string,
    @Param('kind') kind: string,
    @Param('id') id: string,
    @Param('action') action: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const service = serviceOf(name);
    const k = this.kind(kind);
    const a = this.action(action);
    const reason = formField(body, 'reason');
    const base =
      k === 'dead-letters' ? `/v1/ops/dead-letters/${encodeURIComponent(id)}` : `/v1/ops/outbox/parked/${encodeURIComponent(id)}`;
    const error = await perform(this.services, view.session, res, {
      service,
      path: `${base}/${a}`,
      body: reason ? { reason } : {},
      done: `/repair?service=${service}&done=1`,
    });
    if (error) res.status(422).send(this.actionPage(view, service, k, id, a, error));
  }

  private matchingPage(view: ViewContext, service: UpstreamService, filter: Record<string, string>, error: string | undefined): string {
    const t = view.t;
    return page(
      view,
      t('repair.replayMatchingTitle'),
      html`${error ? outcome('error', error) : ''}${confirmation(view, {
        question: t('repair.confirmMatching', { service }),
        facts: Object.entries(filter)
          .filter(([, v]) => v)
          .map(([k, v]) => [t(`repair.${k}` as 'repair.topic'), v]),
        action: `/repair/${service}/replay-matching`,
        fields: filter,
        extra: textarea({ name: 'reason', label: t('repair.reasonOptional') }),
        confirmLabel: t('repair.replay'),
        cancelHref: `/repair?service=${service}`,
      })}`,
    );
  }

  private actionPage(
    view: ViewContext,
    service: UpstreamService,
    kind: Kind,
    id: string,
    action: keyof typeof ACTIONS,
    error: string | undefined,
  ): string {
    const t = view.t;
    return page(
      view,
      t(`repair.${action}`),
      html`${error ? outcome('error', error) : ''}${confirmation(view, {
        question: t(`repair.confirm.${action}`),
        facts: [
          [t('repair.service'), service],
          [kind === 'dead-letters' ? t('repair.deadLetter') : t('repair.parkedRow'), id],
        ],
        action: `/repair/${service}/${kind}/${encodeURIComponent(id)}/${action}`,
        fields: {},
        extra: textarea({
          name: 'reason',
          label: action === 'discard' ? t('repair.reasonRequired') : t('repair.reasonOptional'),
          required: action === 'discard',
        }),
        confirmLabel: t(`repair.${action}`),
        cancelHref: `/repair/${service}/${kind}/${encodeURIComponent(id)}`,
        danger: action === 'discard',
      })}`,
    );
  }

  private kind(kind: string): Kind {
    if (kind !== 'dead-letters' && kind !== 'parked') throw new PageNotFound();
    return kind;
  }

  private action(action: string): keyof typeof ACTIONS {
    if (!(action in ACTIONS)) throw new PageNotFound();
    return action as keyof typeof ACTIONS;
  }
}
