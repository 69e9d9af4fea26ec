import { Body, Controller, Inject, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';
import { ContractValidationError, validateContract } from '@poststelle/contracts';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE, CurrentPrincipal, Permission, QUEUE_PAGE, pageRequestOf, type Principal } from '@poststelle/platform';
import { coversTenant, IntakeErrorCode, IntakeException, ownScopeOf, readScopeOf, requireChannel, submitterOf } from '../../core';
import { ClassificationRepository } from './classification.repository';
import { ResolveClassificationUseCase } from './resolve-classification.use-case';
import { ScanRepository } from './scan.repository';
import { ScanBatchIntakeUseCase } from './scan-batch-intake.use-case';
import { ScanBatchQuery } from './scan-batch.query';
import { ClassificationRuleRequest } from './classification-rule.request';
import { parseResolution } from './resolve-classification.request';
import { ScanErrorCode, ScanException } from './scan.exception';

/** Header of `POST /v1/scan/batches` carrying the scan centre's seal over the index (base64 DER CMS SignedData). */
export const INDEX_SIGNATURE_HEADER = 'scan-index-signature';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The paper-scan channel over HTTP (README "Paper scan"; the index format is `scan-index.xsd`). */
@Controller('v1')
export class ScanController {
  constructor(
    private readonly scan: ScanBatchIntakeUseCase,
    private readonly batches: ScanBatchQuery,
    private readonly repo: ScanRepository,
    private readonly classification: ClassificationRepository,
    private readonly clerks: ResolveClassificationUseCase,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /**
   * The batch index (XML) as the body, its seal (detached CMS signature over exactly these bytes, base64 DER) in
   * `Scan-Index-Signature`; then each document is uploaded with PUT. Index and seal arrive together, so the seal is
   * verified before any document is sent.
   */
  @Permission('submission:create')
  @Post('scan/batches')
  @HttpCode(201)
  async create(
    @Body() raw: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers(INDEX_SIGNATURE_HEADER) signature: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    if (!principal) throw new Error('a route with a permission runs with a principal');
    const submitter = submitterOf(principal);
    // Only a scan centre hands in paper (ADR 0016).
    requireChannel(submitter, 'paper');
    if (!/^(application|text)\/xml\b/i.test(contentType ?? '') || !Buffer.isBuffer(raw) || raw.length === 0) {
      throw new ScanException(ScanErrorCode.NotXml, 'send the batch index with content-type application/xml');
    }
    const seal = signature === undefined ? undefined : signature.trim();
    if (seal !== undefined && !BASE64.test(seal)) {
      throw new ScanException(ScanErrorCode.IndexSealInvalid, `${INDEX_SIGNATURE_HEADER} must be base64 (a DER CMS SignedData)`, {
        errors: [{ field: INDEX_SIGNATURE_HEADER, message: 'must be standard base64 without line breaks' }],
      });
    }
    const { batch, created } = await this.scan.createBatch({
      index: raw,
      ...(seal ? { seal: Buffer.from(seal, 'base64') } : {}),
      source: 'http',
      submittedBy: submitter.id,
    });
    if (!created) {
      throw new ScanException(ScanErrorCode.BatchDuplicate, 'this index was delivered before', {
        batchId: batch.batchId,
        batchStatus: batch.status,
      });
    }
    res.location(`/v1/scan/batches/${batch.batchId}`);
    const view = await this.batches.view(batch.batchId, ownScopeOf(principal));
    return {
      ...view,
      documents: view.documents.map((d) => ({
        ...d,
        upload: `/v1/scan/batches/${batch.batchId}/documents/${encodeURIComponent(d.documentId)}`,
      })),
    };
  }

  /** The document bytes are streamed to the blob store (main.ts keeps body parsers off this route). */
  @Permission('submission:create')
  @Put('scan/batches/:batchId/documents/:documentId')
  upload(
    @Param('batchId', new ParseUUIDPipe({ version: '4' })) batchId: string,
    @Param('documentId') documentId: string,
    @Req() req: Request,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    // Only the client that delivered the index uploads its documents.
    return this.scan.uploadDocument(batchId, documentId, req, ownScopeOf(principal));
  }

  @Permission('submission:read')
  @Get('scan/batches/:batchId')
  batch(@Param('batchId', new ParseUUIDPipe({ version: '4' })) batchId: string, @CurrentPrincipal() principal: Principal | undefined) {
    return this.batches.view(batchId, readScopeOf(principal));
  }

  /** The document as delivered (`original`) or the PDF/A-2b that OCR made of it (`pdfa`). */
  @Permission('case:read')
  @Get('scan/batches/:batchId/documents/:documentId/:variant')
  async document(
    @Param('batchId', new ParseUUIDPipe({ version: '4' })) batchId: string,
    @Param('documentId') documentId: string,
    @Param('variant') variant: string,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    const doc = await this.repo.findDocument(batchId, documentId, readScopeOf(principal));
    const sha512 = variant === 'original' && doc?.sizeBytes != null ? doc.expectedSha512 : variant === 'pdfa' ? doc?.pdfaSha512 : undefined;
    if (!doc || !sha512)
      throw new ScanException(ScanErrorCode.DocumentNotFound, `no ${variant} of document ${documentId} in batch ${batchId}`);
    const stream = await this.blobs.open(sha512);
    res.status(200).type(variant === 'pdfa' ? 'application/pdf' : doc.mediaType);
    stream.pipe(res);
  }

  @Permission('queue:work')
  @Get('scan/classification-queue')
  async queue(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | undefined) {
    const s = query['status'] ?? 'open';
    if (typeof s !== 'string' || !['open', 'resolved', 'all'].includes(s)) {
      throw new ScanException(ScanErrorCode.ResolutionInvalid, 'status must be open, resolved or all', {
        errors: [{ field: 'status', message: 'must be open, resolved or all' }],
      });
    }
    const page = pageRequestOf(query, ['timestamp', 'uuid'], QUEUE_PAGE);
    return this.clerks.queue(s as 'open' | 'resolved' | 'all', readScopeOf(principal), page);
  }

  @Permission('queue:work')
  @Post('scan/classification-queue/:itemId/resolve')
  @HttpCode(201)
  resolve(
    @Param('itemId', new ParseUUIDPipe({ version: '4' })) itemId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    if (!principal) throw new Error('a route with a permission runs with a principal');
    // The clerk is the token's subject (X-Actor is gone).
    return this.clerks.resolve(itemId, parseResolution(body), principal.subject.slice(0, 200), readScopeOf(principal));
  }

  @Permission('config:write')
  @Put('admin/scan/classification-rules/:ruleId')
  async putRule(@Param('ruleId') ruleId: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    let rule: ClassificationRuleRequest;
    try {
      rule = validateContract(ClassificationRuleRequest, { ...((body ?? {}) as object), ruleId });
    } catch (error) {
      if (error instanceof ContractValidationError) {
        throw new ScanException(ScanErrorCode.RuleInvalid, 'the classification rule is invalid', { errors: error.errors });
      }
      throw error;
    }
    // A tenant-admin writes rules of its own tenants; a rule without a tenant applies to every batch (platform-admin).
    const scope = readScopeOf(principal);
    const existing = await this.classification.ruleOwner(ruleId);
    const owns = (tenantArs: string | null | undefined) => (tenantArs ? coversTenant(scope, tenantArs) : scope.all);
    if (!owns(rule.tenantArs) || (existing && !owns(existing.tenantArs))) {
      throw new IntakeException(
        IntakeErrorCode.TenantNotAllowed,
        'this rule belongs to, or would belong to, a tenant you do not administer',
        {
          ...(rule.tenantArs ? { tenantArs: rule.tenantArs } : {}),
        },
      );
    }
    await this.classification.upsertRule({ ...rule, formIds: rule.formIds ?? [], keywords: rule.keywords ?? [] });
    return rule;
  }

  @Permission('config:read')
  @Get('admin/scan/classification-rules')
  async rules(@CurrentPrincipal() principal: Principal | undefined) {
    return { rules: await this.classification.rules(readScopeOf(principal)) };
  }
}
