import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ServicesClient, problemText } from '../api/services.client';
import { Page } from '../auth/page-access';
import { confirmation, field, outcome, table, when } from '../web/components';
import { html } from '../web/html';
import { page } from '../web/layout';
import { View, type ViewContext } from '../web/view-context';
import { formField, perform } from './actions';

interface FeeVersion {
  leikaKey: string;
  arsPrefix: string;
  version: number;
  amount: string;
  policy: string;
  bookingText: string;
  validFrom: string;
  createdBy?: string;
}

const FEE_FIELDS = ['leikaKey', 'arsPrefix', 'amount', 'policy', 'bookingText'] as const;
const MAILBOX_FIELDS = ['address', 'tenantArs', 'leikaKey', 'name'] as const;

/** Administration: fees (payment) and mailboxes (intake). */
@Controller('admin')
export class SettingsController {
  constructor(private readonly services: ServicesClient) {}

  @Page('config:read')
  @Get('fees')
  async fees(@View() view: ViewContext, @Query('done') done?: string): Promise<string> {
    const t = view.t;
    const r = await this.services.get<FeeVersion[]>(view.session, 'payment', '/v1/admin/fees');
    const rows = Array.isArray(r.body) ? r.body : [];
    return page(
      view,
      t('admin.fees'),
      html`${done ? outcome('ok', t('admin.saved')) : ''}${table(
        view,
        t('admin.fees'),
        [
          t('cases.service'),
          t('admin.arsPrefix'),
          t('admin.version'),
          t('admin.amount'),
          t('admin.policy'),
          t('admin.validFrom'),
          t('admin.by'),
        ],
        rows,
        (f) => [f.leikaKey, f.arsPrefix, String(f.version), f.amount, f.policy, when(view, f.validFrom), f.createdBy ?? '–'],
      )}${view.can('config:write') ? html`<p><a class="button" href="/admin/fees/set">${t('admin.setFee')}</a></p>` : ''}`,
    );
  }

  @Page('config:write')
  @Get('fees/set')
  feeForm(@View() view: ViewContext, @Query() q: Record<string, string | undefined>): string {
    return this.feePage(view, q, undefined);
  }

  @Page('config:write')
  @Post('fees/set')
  async setFee(@View() view: ViewContext, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const v = Object.fromEntries(FEE_FIELDS.map((f) => [f, formField(body, f)])) as Record<(typeof FEE_FIELDS)[number], string>;
    const error = await perform(this.services, view.session, res, {
      service: 'payment',
      method: 'PUT',
      path: `/v1/admin/fees/${encodeURIComponent(v.leikaKey)}/${encodeURIComponent(v.arsPrefix)}`,
      body: { amount: v.amount, policy: v.policy, bookingText: v.bookingText },
      done: '/admin/fees?done=1',
    });
    if (error) res.status(422).send(this.feePage(view, v, error));
  }

  private feePage(view: ViewContext, v: Record<string, string | undefined>, error: string | undefined): string {
    const t = view.t;
    return page(
      view,
      t('admin.setFee'),
      html`${error ? outcome('error', error) : ''}${confirmation(view, {
        question: t('admin.confirmFee'),
        facts: [],
        action: '/admin/fees/set',
        fields: {},
        extra: html`${FEE_FIELDS.map((f) => field({ name: f, label: t(`admin.fee.${f}`), value: v[f], required: true }))}`,
        confirmLabel: t('admin.saveVersion'),
        cancelHref: '/admin/fees',
      })}`,
    );
  }

  @Page('config:read')
  @Get('mailboxes')
  async mailboxes(@View() view: ViewContext, @Query('address') address = '', @Query('done') done?: string): Promise<string> {
    const t = view.t;
    let found = html``;
    if (address) {
      const r = await this.services.get<Record<string, unknown>>(
        view.session,
        'intake',
        `/v1/admin/mailboxes/${encodeURIComponent(address)}`,
      );
      found =
        r.status === 200
          ? html`<dl class="facts" role="status">
              ${Object.entries(r.body).map(
                ([k, val]) =>
                  html`<dt>${k}</dt>
                    <dd>${String(val)}</dd>`,
              )}
            </dl>`
          : outcome('error', problemText(r.body) || t('admin.noMailbox'));
    }
    return page(
      view,
      t('admin.mailboxes'),
      html`${done ? outcome('ok', t('admin.saved')) : ''}
        <form method="get" action="/admin/mailboxes" class="filters" role="search" aria-label="${t('admin.mailboxes')}">
          ${field({
            name: 'address',
            label: t('admin.mailboxAddress'),
            value: address,
            required: true,
          })}
          <div class="field"><button type="submit">${t('action.search')}</button></div>
        </form>
        ${found}${view.can('config:write') ? html`<p><a class="button" href="/admin/mailboxes/set">${t('admin.setMailbox')}</a></p>` : ''}`,
    );
  }

  @Page('config:write')
  @Get('mailboxes/set')
  mailboxForm(@View() view: ViewContext, @Query() q: Record<string, string | undefined>): string {
    return this.mailboxPage(view, q, undefined);
  }

  @Page('config:write')
  @Post('mailboxes/set')
  async setMailbox(@View() view: ViewContext, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const v = Object.fromEntries(MAILBOX_FIELDS.map((f) => [f, formField(body, f)])) as Record<(typeof MAILBOX_FIELDS)[number], string>;
    const error = await perform(this.services, view.session, res, {
      service: 'intake',
      method: 'PUT',
      path: `/v1/admin/mailboxes/${encodeURIComponent(v.address)}`,
      body: { tenantArs: v.tenantArs, leikaKey: v.leikaKey, name: v.name },
      done: `/admin/mailboxes?done=1&address=${encodeURIComponent(v.address)}`,
    });
    if (error) res.status(422).send(this.mailboxPage(view, v, error));
  }

  private mailboxPage(view: ViewContext, v: Record<string, string | undefined>, error: string | undefined): string {
    const t = view.t;
    return page(
      view,
      t('admin.setMailbox'),
      html`${error ? outcome('error', error) : ''}${confirmation(view, {
        question: t('admin.confirmMailbox'),
        facts: [],
        action: '/admin/mailboxes/set',
        fields: {},
        extra: html`${MAILBOX_FIELDS.map((f) => field({ name: f, label: t(`admin.mailbox.${f}`), value: v[f], required: true }))}`,
        confirmLabel: t('admin.save'),
        cancelHref: '/admin/mailboxes',
      })}`,
    );
  }
}
