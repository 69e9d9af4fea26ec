import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Req } from '@nestjs/common';
import { type Request } from 'express';
import { type RawBodyRequest, CurrentPrincipal, Permission, type Principal } from '@poststelle/platform';
import { ownScopeOf, readScopeOf, receivedBody, requireChannel, submitterOf } from '../../core';
import { FitConnectUseCase } from './fit-connect.use-case';

/** main.ts moves an upload's Content-Type here (the body parsers must not see it); always overwritten. */
export const UPLOAD_CONTENT_TYPE = 'x-ps-upload-content-type';

/** FIT-Connect compatible submission API (unencrypted; see README "Channels"). */
@Controller('v1/fit-connect/submissions')
export class FitConnectController {
  constructor(private readonly fit: FitConnectUseCase) {}

  /** The body arrives raw (main.ts), so a refused one is kept whatever is wrong with it. */
  @Permission('submission:create')
  @Post()
  @HttpCode(201)
  announce(@Req() req: RawBodyRequest, @CurrentPrincipal() principal: Principal | undefined) {
    if (!principal) throw new Error('a route with a permission runs with a principal');
    const submitter = submitterOf(principal);
    requireChannel(submitter, 'fit-connect');
    return this.fit.announce(receivedBody(req), submitter);
  }

  /** The body is streamed to the blob store (main.ts keeps body parsers off this route). */
  @Permission('submission:create')
  @Put(':submissionId/attachments/:attachmentId')
  upload(
    @Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string,
    @Param('attachmentId') attachmentId: string,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const contentType = req.headers[UPLOAD_CONTENT_TYPE];
    return this.fit.upload(
      submissionId,
      attachmentId,
      req,
      typeof contentType === 'string' ? contentType : undefined,
      ownScopeOf(principal),
    );
  }

  @Permission('submission:create')
  @Post(':submissionId/submit')
  @HttpCode(202)
  submit(
    @Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string,
    @Req() req: RawBodyRequest,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    if (!principal) throw new Error('a route with a permission runs with a principal');
    return this.fit.submit(submissionId, receivedBody(req), ownScopeOf(principal), submitterOf(principal));
  }

  @Permission('submission:read')
  @Get(':submissionId/events')
  events(
    @Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    return this.fit.events(submissionId, readScopeOf(principal));
  }
}
