import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ServicesClient, problemText } from '../api/services.client';
import { Page, PageNotFound } from '../auth/page-access';
import { age, field, query, select, table, when } from '../web/components';
import { type SafeHtml, html } from '../web/html';
import { page } from '../web/layout';
import { View, type ViewContext } from '../web/view-context';
import {
  type CaseFileView,
  type IntakeCaseView,
  type NotificationView,
  type PaymentView,
  type RoutingDecision,
  type StatusView,
  caseTimeline,
} from './case-timeline';

const FILTERS = ['caseId', 'reference', 'senderReference', 'tenant', 'service', 'channel', 'status', 'receivedFrom', 'receivedTo'] as const;
const CHANNELS = ['portal', 'email', 'scan', 'fit-connect'];
const STATUSES = ['received', 'manual-routing', 'routed'];
const PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CaseListItem {
  caseId: string;
  reference: string;
  tenant: string;
  service: string;
  channel: string;
  status: string;
  receivedAt: string;
  senderReference?: string;
}

/** Case search (filters, server-side paging) and the case page (one timeline across the services). */
@Controller('cases')
export class CasesController {
  constructor(private readonly services: ServicesClient) {}

  @Page('case:read')
  @Get()
  async search(@View() view: ViewContext, @Query() q: Record<string, string | undefined>): Promise<string> {
    const filters = Object.fromEntries(FILTERS.map((k) => [k, (q[k] ?? '').trim()])) as Record<(typeof FILTERS)[number], string>;
    const cursor = typeof q['cursor'] === 'string' ? q['cursor'] : undefined;
    const upstream = {
      ...filters,
      receivedFrom: isoDay(filters.receivedFrom),
      receivedTo: isoDay(filters.receivedTo, true),
      limit: PAGE_SIZE,
      cursor,
    };
    const res = await this.services.get<{ items: CaseListItem[]; nextCursor: string | null }>(
      view.session,
      'intake',
      `/v1/cases${query(upstream)}`,
    );
    const ok = res.status === 200 && Array.isArray(res.body?.items);
    const t = view.t;
    const form = html`<form class="filters" method="get" action="/cases" role="search" aria-label="${t('cases.searchLabel')}">
      ${field({ name: 'reference', label: t('cases.reference'), value: filters.reference, type: 'search', hint: t('cases.referenceHint') })}
      ${field({ name: 'caseId', label: t('cases.caseId'), value: filters.caseId })}
      ${field({ name: 'senderReference', label: t('cases.senderReference'), value: filters.senderReference })}
      ${field({ name: 'tenant', label: t('cases.tenant'), value: filters.tenant })}
      ${field({ name: 'service', label: t('cases.service'), value: filters.service })}
      ${select({
        name: 'channel',
        label: t('cases.channel'),
        value: filters.channel,
        options: [{ value: '', label: t('list.any') }, ...CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}` as 'channel.email') }))],
      })}
      ${select({
        name: 'status',
        label: t('cases.status'),
        value: filters.status,
        options: [
          { value: '', label: t('list.any') },
          ...STATUSES.map((s) => ({ value: s, label: t(`caseStatus.${s}` as 'caseStatus.routed') })),
        ],
      })}
      ${field({ name: 'receivedFrom', label: t('cases.receivedFrom'), value: filters.receivedFrom, type: 'date' })}
      ${field({ name: 'receivedTo', label: t('cases.receivedTo'), value: filters.receivedTo, type: 'date' })}
      <div class="field"><button type="submit">${t('action.search')}</button></div>
    </form>`;
    const results = ok
      ? html`${table(
          view,
          t('cases.results'),
          [t('cases.reference'), t('cases.receivedAt'), t('cases.channel'), t('cases.service'), t('cases.tenant'), t('cases.status')],
          res.body.items,
          (c) => [
            html`<a href="/cases/${c.caseId}">${c.reference}</a>`,
            when(view, c.receivedAt),
            t(`channel.${c.channel}` as 'channel.email'),
            c.service,
            c.tenant,
            t(`caseStatus.${c.status}` as 'caseStatus.routed'),
          ],
        )}${pager(view, filters, cursor, res.body.nextCursor)}`
      : html`<p class="error" role="alert">${t('cases.searchFailed')} ${problemText(res.body)}</p>`;
    return page(
      view,
      t('cases.title'),
      html`${form}
        <div aria-live="polite">${results}</div>`,
    );
  }

  @Page('case:read')
  @Get(':caseId')
  async show(@View() view: ViewContext, @Param('caseId') caseId: string): Promise<string> {
    if (!UUID.test(caseId)) throw new PageNotFound();
    const s = view.session;
    const intake = await this.services.get<IntakeCaseView>(s, 'intake', `/v1/cases/${caseId}`);
    if (intake.status !== 200) throw new PageNotFound();
    const optional = async <T>(service: 'routing' | 'payment' | 'archive', path: string): Promise<T | undefined> => {
      const r = await this.services.get<T>(s, service, path).catch(() => undefined);
      return r?.status === 200 ? r.body : undefined;
    };
    const [routing, status, notifications, payment, file] = await Promise.all([
      optional<RoutingDecision>('routing', `/v1/cases/${caseId}/routing`),
      optional<StatusView>('routing', `/v1/cases/${caseId}/status`),
      optional<NotificationView[]>('routing', `/v1/cases/${caseId}/notifications`),
      optional<PaymentView>('payment', `/v1/cases/${caseId}/payment`),
      optional<CaseFileView>('archive', `/v1/cases/${caseId}/file`),
    ]);
    const c = intake.body;
    const t = view.t;
    const timeline = caseTimeline({ intake: c, routing, status, notifications, payment, file });
    const facts = html`<dl class="facts">
      <dt>${t('cases.reference')}</dt>
      <dd>${c.caseReference ?? ''}</dd>
      <dt>${t('cases.caseId')}</dt>
      <dd>${c.caseId}</dd>
      <dt>${t('cases.receivedAt')}</dt>
      <dd>${when(view, c.receivedAt)} (${age(view, c.receivedAt)})</dd>
      <dt>${t('cases.channel')}</dt>
      <dd>${t(`channel.${c.case.channel.kind}` as 'channel.email')}</dd>
      <dt>${t('cases.service')}</dt>
      <dd>${c.case.service.name ?? ''} (${c.case.service.leikaKey})</dd>
      <dt>${t('cases.tenant')}</dt>
      <dd>${c.case.tenant.ars}</dd>
      <dt>${t('cases.senderReference')}</dt>
      <dd>${c.case.senderReference ?? '–'}</dd>
      <dt>${t('cases.status')}</dt>
      <dd>${t(`caseStatus.${c.status}` as 'caseStatus.routed')}${status ? ` – ${status.status}` : ''}</dd>
    </dl>`;
    const events = html`<h2 id="timeline">${t('case.timeline')}</h2>
      <ol class="timeline" aria-labelledby="timeline">
        ${timeline.map(
          (i) =>
            html`<li>
              ${when(view, i.at)}<strong>${t(i.title, i.titleParams)}</strong> <span>(${i.service})</span>${i.detail
                ? html`<br />${i.detail}`
                : ''}
            </li>`,
        )}
      </ol>`;
    const problems = (c.publicationProblems ?? []).map(
      (p) => html`<p class="error" role="alert">${t('case.publicationProblem')} ${p.reason}</p>`,
    );
    return page(
      view,
      t('case.title', { reference: c.caseReference ?? c.caseId }),
      html`${problems}${facts}${events}${documents(view, c, file)}${originals(view, c)}`,
    );
  }

  /** The raw email a case came from, fetched with the person's token and handed over as a download. */
  @Page('case:read')
  @Get(':caseId/original/email')
  async rawEmail(@View() view: ViewContext, @Param('caseId') caseId: string, @Res() res: Response): Promise<void> {
    if (!UUID.test(caseId)) throw new PageNotFound();
    const intake = await this.services.get<IntakeCaseView>(view.session, 'intake', `/v1/cases/${caseId}`);
    const sha = intake.status === 200 ? intake.body.case.channel.email?.rawMessageSha512 : undefined;
    if (!sha) throw new PageNotFound();
    const raw = await this.services.get<string>(view.session, 'intake', `/v1/email/raw/${sha}`);
    if (raw.status !== 200) throw new PageNotFound();
    res
      .type('message/rfc822')
      .attachment(`${caseId}.eml`)
      .send(typeof raw.body === 'string' ? raw.body : JSON.stringify(raw.body));
  }
}

function isoDay(day: string, endOfDay = false): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return '';
  return `${day}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`;
}

function pager(view: ViewContext, filters: Record<string, string>, cursor: string | undefined, next: string | null): SafeHtml {
  return html`<nav class="pager" aria-label="${view.t('list.pages')}">
    ${cursor ? html`<a href="/cases${query(filters)}">${view.t('list.first')}</a>` : ''}${next
      ? html`<a href="/cases${query({ ...filters, cursor: next })}">${view.t('list.next')}</a>`
      : ''}
  </nav>`;
}

function documents(view: ViewContext, c: IntakeCaseView, file: CaseFileView | undefined): SafeHtml {
  const t = view.t;
  return html`<h2>${t('case.documents')}</h2>
    ${table(
      view,
      t('case.attachments'),
      [t('case.fileName'), t('case.mediaType'), t('case.size'), t('case.purpose')],
      c.case.attachments,
      (a) => [a.fileName, a.mediaType, `${Math.ceil(a.sizeBytes / 1024)} KiB`, a.purpose],
    )}${file
      ? table(
          view,
          t('case.efile', { reference: file.fileReference }),
          [t('case.fileName'), t('case.mediaType'), t('case.recordedAt')],
          file.documents,
          (d) => [d.title ?? d.fileName ?? d.documentId ?? '', d.mediaType ?? '', when(view, d.recordedAt)],
        )
      : ''}`;
}

function originals(view: ViewContext, c: IntakeCaseView): SafeHtml {
  const t = view.t;
  const ch = c.case.channel;
  const links = [
    ch.email?.rawMessageSha512 ? html`<li><a href="/cases/${c.caseId}/original/email" download>${t('case.rawEmail')}</a></li>` : '',
    ch.scan?.batchId
      ? html`<li><a href="/originals/scan-batches/${ch.scan.batchId}">${t('case.scanBatch', { batch: ch.scan.batchId })}</a></li>`
      : '',
    ch.portal?.fitConnectSubmissionId
      ? html`<li>
          <a href="/originals/fit-connect/${ch.portal.fitConnectSubmissionId}"
            >${t('case.fitConnect', { id: ch.portal.fitConnectSubmissionId })}</a
          >
        </li>`
      : '',
  ];
  return html`<h2>${t('case.originals')}</h2>
    ${links.some(Boolean)
      ? html`<ul>
          ${links}
        </ul>`
      : html`<p>${t('case.noOriginal')}</p>`}`;
}
