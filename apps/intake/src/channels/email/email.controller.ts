import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ContractValidationError, validateContract } from '@poststelle/contracts';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE, CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { Inject } from '@nestjs/common';
import { coversTenant, IntakeErrorCode, IntakeException, readScopeOf, requireChannel, submitterOf } from '../../core';
import { EmailRepository } from './email.repository';
import { MailboxRequest } from './mailbox.request';
import { ReceiveEmailUseCase, type EmailOutcome } from './receive-email.use-case';
import { EmailErrorCode, EmailException, type EmailRefusalCode, emailRefusal } from './email.exception';

const SHA512 = /^[a-f0-9]{128}$/;

function addressList(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
}

/** The email channel over HTTP, for mail gateways: the raw RFC 822 message as the body. */
@Controller('v1')
export class EmailController {
  constructor(
    private readonly receiveEmail: ReceiveEmailUseCase,
    private readonly repo: EmailRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  @Permission('submission:create')
  @Post('email')
  @HttpCode(202)
  async receive(
    @Body() raw: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query('mailFrom') mailFrom: string | undefined,
    @Query('rcptTo') rcptTo: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    if (!principal) throw new Error('a route with a permission runs with a principal');
    const submitter = submitterOf(principal);
    requireChannel(submitter, 'email');
    if (!/^message\/rfc822\b/i.test(contentType ?? '') || !Buffer.isBuffer(raw) || raw.length === 0) {
      throw new EmailException(EmailErrorCode.NotRfc822, 'send the raw message with content-type message/rfc822');
    }
    const outcome: EmailOutcome = await this.receiveEmail.receive(
      raw,
      { ...(mailFrom ? { mailFrom: mailFrom.trim().toLowerCase() } : {}), rcptTo: addressList(rcptTo) },
      'http',
      submitter.id,
    );
    res.location(`/v1/email/messages/${outcome.inboundId}`);
    if (outcome.status === 'rejected') {
      throw emailRefusal(outcome.reasonCode as EmailRefusalCode, outcome.reason ?? 'rejected', {
        inboundId: outcome.inboundId,
        rawMessageSha512: outcome.rawMessageSha512,
        ...(outcome.errors ? { errors: outcome.errors } : {}),
      });
    }
    return {
      ...outcome,
      links: { ...(outcome.caseId ? { case: `/v1/cases/${outcome.caseId}` } : {}), raw: `/v1/email/raw/${outcome.rawMessageSha512}` },
    };
  }

  @Permission('case:read')
  @Get('email/messages/:inboundId')
  async message(
    @Param('inboundId', new ParseUUIDPipe({ version: '4' })) inboundId: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const found = await this.repo.find(inboundId, readScopeOf(principal));
    if (!found) throw new EmailException(EmailErrorCode.InboundMessageNotFound, `no inbound message ${inboundId}`);
    return found;
  }

  /** The raw message exactly as received, by its sha512 (only hashes of received mail are served). */
  @Permission('case:read')
  @Get('email/raw/:sha512')
  async raw(@Param('sha512') sha512: string, @Res() res: Response, @CurrentPrincipal() principal: Principal | undefined): Promise<void> {
    if (!SHA512.test(sha512) || !(await this.repo.rawKnown(sha512, readScopeOf(principal)))) {
      throw new EmailException(EmailErrorCode.RawNotFound, 'no received message has this sha512');
    }
    const stream = await this.blobs.open(sha512);
    res.status(200).type('message/rfc822');
    stream.pipe(res);
  }

  @Permission('config:write')
  @Put('admin/mailboxes/:address')
  async putMailbox(@Param('address') address: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    let request: MailboxRequest;
    try {
      request = validateContract(MailboxRequest, { ...((body ?? {}) as object), address: address.toLowerCase() });
    } catch (error) {
      if (error instanceof ContractValidationError) {
        throw new EmailException(EmailErrorCode.InvalidMailbox, 'the mailbox is invalid', { errors: error.errors });
      }
      throw error;
    }
    // A tenant-admin configures the mailboxes of its own tenants only, and cannot take over another tenant's address.
    const scope = readScopeOf(principal);
    const existing = await this.repo.findMailbox(request.address);
    if (!coversTenant(scope, request.tenantArs) || (existing && !coversTenant(scope, existing.tenantArs))) {
      throw new IntakeException(
        IntakeErrorCode.TenantNotAllowed,
        'this mailbox belongs to, or would belong to, a tenant you do not administer',
        {
          tenantArs: request.tenantArs,
        },
      );
    }
    await this.repo.upsertMailbox(request);
    return request;
  }

  @Permission('config:read')
  @Get('admin/mailboxes/:address')
  async getMailbox(@Param('address') address: string, @CurrentPrincipal() principal: Principal | undefined) {
    const found = await this.repo.findMailbox(address.toLowerCase());
    if (!found || !coversTenant(readScopeOf(principal), found.tenantArs))
      throw new EmailException(EmailErrorCode.MailboxNotFound, 'no such mailbox');
    return found;
  }
}
