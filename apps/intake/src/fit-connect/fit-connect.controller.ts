import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Req } from '@nestjs/common';
import { type Request } from 'express';
import { FitConnectUseCase } from './fit-connect.use-case';

/** FIT-Connect compatible submission API (unencrypted; see README "Channels"). */
@Controller('v1/fit-connect/submissions')
export class FitConnectController {
  constructor(private readonly fit: FitConnectUseCase) {}

  @Post()
  @HttpCode(201)
  announce(@Body() body: unknown) {
    return this.fit.announce(body);
  }

  /** The body is streamed to the blob store (main.ts keeps body parsers off this route). */
  @Put(':submissionId/attachments/:attachmentId')
  upload(
    @Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string,
    @Param('attachmentId') attachmentId: string,
    @Req() req: Request,
  ) {
    return this.fit.upload(submissionId, attachmentId, req);
  }

  @Post(':submissionId/submit')
  @HttpCode(202)
  submit(@Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string, @Body() body: unknown) {
    return this.fit.submit(submissionId, body);
  }

  @Get(':submissionId/events')
  events(@Param('submissionId', new ParseUUIDPipe({ version: '4' })) submissionId: string) {
    return this.fit.events(submissionId);
  }
}
