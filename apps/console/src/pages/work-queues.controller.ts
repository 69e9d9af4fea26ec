import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ServicesClient } from '../api/services.client';
import { Page } from '../auth/page-access';
import { age, confirmation, field, outcome, query, table, when } from '../web/components';
import { html } from '../web/html';
import { page } from '../web/layout';
import { View, type ViewContext } from '../web/view-context';
import { formField, itemsOf, perform } from './actions';
import { doneNotice } from './queues.controller';

interface ScanItem {
  itemId: string;
  batchId: string;
  documentId: string;
  status: string;
  reason: string;
  confidence: number;
  candidates: { leikaKey?: string; tenantArs?: string; score?: number }[];
  queuedAt?: string;
}

interface PaymentItem {
  itemId: string;
  tenantArs: string;
  amount: string;
  currency: string;
  remittance: string;
  reason: string;
  state: string;
  bookedAt?: string;
  createdAt?: string;
}

/** Scan classification (resolve as new case or follow-up) and the payment clerk queue (assign, not ours). */
@Controller('queues')
export class WorkQueuesController {
  constructor(private readonly services: ServicesClient) {}

  @Page('queue:work')
  @Get('scan-classification')
  async scan(@View() view: ViewContext, @Query('cursor') cursor?: string, @Query('done') done?: string): Promise<string> {
    const t = view.t;
    const r = await this.services.get<unknown>(view.session, 'intake', `/v1/scan/classification-queue${query({ limit: 50, cursor })}`);
    const { items, nextCursor } = itemsOf<ScanItem>(r);
    const open = items.filter((i) => i.status === 'open');
    return page(
      view,
      t('queues.scan'),
      html`${doneNotice(view, done)}${table(
        view,
        t('queues.scan'),
        [t('queues.document'), t('queues.reason'), t('queues.candidates'), t('queues.since'), t('queues.resolve')],
        open,
        (i) => [
          `${i.batchId} / ${i.documentId}`,
          i.reason,
          i.candidates.map((c) => `${c.leikaKey ?? ''} ${c.tenantArs ?? ''}`).join(', ') || '–',
          html`${when(view, i.queuedAt)} (${age(view, i.queuedAt)})`,
          html`<a href="/queues/scan-classification/${i.itemId}/resolve">${t('queues.resolve')}</a>`,
        ],
      )}${nextCursor ? html`<p><a href="/queues/scan-classification${query({ cursor: nextCursor })}">${t('list.next')}</a></p>` : ''}`,
    );
  }

  @Page('queue:work')
  @Get('scan-classification/:itemId/resolve')
  resolveForm(@View() view: ViewContext, @Param('itemId') itemId: string, @Query() q: Record<string, string>): string {
    return this.scanPage(view, itemId, q, undefined);
  }

  private scanPage(view: ViewContext, itemId: string, q: Record<string, string | undefined>, error: string | undefined): string {
    const t = view.t;
    const fields = { tenantArs: q['tenantArs'] ?? '', leikaKey: q['leikaKey'] ?? '', caseReference: q['caseReference'] ?? '' };
    return page(
      view,
      t('queues.resolveScan'),
      html`${error ? outcome('error', error) : ''}
        <p>${t('queues.resolveScanText')}</p>
        ${confirmation(view, {
          question: t('queues.confirmResolve'),
          facts: [[t('queues.item'), itemId]],
          action: `/queues/scan-classification/${encodeURIComponent(itemId)}/resolve`,
          fields: {},
          extra: html`<fieldset>
              <legend>${t('queues.newCase')}</legend>
              ${field({ name: 'tenantArs', label: t('cases.tenant'), value: fields.tenantArs })}${field({
                name: 'leikaKey',
                label: t('cases.service'),
                value: fields.leikaKey,
              })}
            </fieldset>
            <fieldset>
              <legend>${t('queues.followUp')}</legend>
              ${field({ name: 'caseReference', label: t('cases.reference'), value: fields.caseReference })}
            </fieldset>`,
          confirmLabel: t('queues.resolve'),
          cancelHref: '/queues/scan-classification',
        })}`,
    );
  }

  @Page('queue:work')
  @Post('scan-classification/:itemId/resolve')
  async resolve(@View() view: ViewContext, @Param('itemId') itemId: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const caseReference = formField(body, 'caseReference');
    const request = caseReference ? { caseReference } : { tenantArs: formField(body, 'tenantArs'), leikaKey: formField(body, 'leikaKey') };
    const error = await perform(this.services, view.session, res, {
      service: 'intake',
      path: `/v1/scan/classification-queue/${encodeURIComponent(itemId)}/resolve`,
      body: request,
      done: '/queues/scan-classification?done=resolved',
    });
    if (error) res.status(422).send(this.scanPage(view, itemId, request, error));
  }

  @Page('queue:work')
  @Get('payment')
  async payment(@View() view: ViewContext, @Query('cursor') cursor?: string, @Query('done') done?: string): Promise<string> {
    const t = view.t;
    const r = await this.services.get<unknown>(view.session, 'payment', `/v1/payment-queue${query({ limit: 50, cursor })}`);
    const { items, nextCursor } = itemsOf<PaymentItem>(r);
    const open = items.filter((i) => i.state === 'open');
    return page(
      view,
      t('queues.payment'),
      html`${doneNotice(view, done)}${table(
        view,
        t('queues.payment'),
        [t('queues.remittance'), t('queues.amount'), t('queues.reason'), t('queues.since'), t('queues.actions')],
        open,
        (i) => [
          i.remittance || i.itemId,
          `${i.amount} ${i.currency}`,
          i.reason,
          html`${when(view, i.bookedAt ?? i.createdAt)} (${age(view, i.bookedAt ?? i.createdAt)})`,
          html`<a href="/queues/payment/${i.itemId}/assign">${t('queues.assignToCase')}</a> ·
            <a href="/queues/payment/${i.itemId}/not-ours">${t('queues.notOurs')}</a>`,
        ],
      )}${nextCursor ? html`<p><a href="/queues/payment${query({ cursor: nextCursor })}">${t('list.next')}</a></p>` : ''}`,
    );
  }

  @Page('queue:work')
  @Get('payment/:itemId/:action')
  paymentForm(
    @View() view: ViewContext,
    @Param('itemId') itemId: string,
    @Param('action') action: string,
    @Query('caseId') caseId = '',
  ): string {
    return this.paymentPage(view, itemId, action === 'assign' ? 'assign' : 'not-ours', caseId, undefined);
  }

  private paymentPage(view: ViewContext, itemId: string, action: 'assign' | 'not-ours', caseId: string, error: string | undefined): string {
    const t = view.t;
    return page(
      view,
      action === 'assign' ? t('queues.assignToCase') : t('queues.notOurs'),
      html`${error ? outcome('error', error) : ''}${confirmation(view, {
        question: action === 'assign' ? t('queues.confirmPaymentAssign') : t('queues.confirmNotOurs'),
        facts: [[t('queues.item'), itemId]],
        action: `/queues/payment/${encodeURIComponent(itemId)}/${action}`,
        fields: {},
        ...(action === 'assign' ? { extra: field({ name: 'caseId', label: t('cases.caseId'), value: caseId, required: true }) } : {}),
        confirmLabel: action === 'assign' ? t('queues.assignToCase') : t('queues.notOurs'),
        cancelHref: '/queues/payment',
      })}`,
    );
  }

  @Page('queue:work')
  @Post('payment/:itemId/:action')
  async paymentAction(
    @View() view: ViewContext,
    @Param('itemId') itemId: string,
    @Param('action') action: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const kind = action === 'assign' ? 'assign' : 'not-ours';
    const caseId = formField(body, 'caseId');
    const error = await perform(this.services, view.session, res, {
      service: 'payment',
      path: `/v1/payment-queue/${encodeURIComponent(itemId)}/${kind}`,
      body: kind === 'assign' ? { caseId } : {},
      done: `/queues/payment?done=${kind === 'assign' ? 'assigned' : 'not-ours'}`,
    });
    if (error) res.status(422).send(this.paymentPage(view, itemId, kind, caseId, error));
  }
}
