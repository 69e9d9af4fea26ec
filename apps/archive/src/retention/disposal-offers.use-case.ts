import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ARCHIVE_SETTINGS, type ArchiveSettings } from '../archive.config';
import { EFileRepository } from '../efile/efile.repository';
import { Journal } from '../journal/journal';
import { toExportFile } from '../xdomea/export-file.use-case';
import { anbieteverzeichnis0501 } from '../xdomea/xdomea-writer';
import { XdomeaSchemas, type XdomeaVersion } from '../xdomea/xsd-validator';
import { DisposalRepository } from './disposal.repository';
import { DisposalUseCase } from './disposal.use-case';
import { ArchiveErrorCode, ArchiveException } from '../archive.exception';

/** The xdomea exchange of a disposal offer: 0501 out, 0502 (appraisal) and 0504 (receipt, closes it) in. */
@Injectable()
export class DisposalOffersUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: DisposalRepository,
    private readonly files: EFileRepository,
    private readonly journal: Journal,
    private readonly disposal: DisposalUseCase,
    private readonly schemas: XdomeaSchemas,
    @Inject(ARCHIVE_SETTINGS) private readonly settings: ArchiveSettings,
  ) {}

  async offerMessage(processId: string, version: XdomeaVersion): Promise<string> {
    const manager = this.dataSource.manager;
    const offer = await this.repo.offer(manager, processId);
    if (!offer) throw new ArchiveException(ArchiveErrorCode.OfferNotFound, `no disposal offer ${processId}`);
    const files = [];
    for (const f of await this.repo.offeredFiles(manager, processId)) {
      const file = await this.files.file(manager, f.fileId);
      if (file) files.push(toExportFile(file));
    }
    const xml = anbieteverzeichnis0501(
      version,
      { processId, sender: this.settings.xdomea.sender, recipient: this.settings.xdomea.archive, createdAt: offer.createdAt },
      files,
    );
    const { errors } = await this.schemas.validate(xml);
    if (errors.length > 0)
      throw new ArchiveException(ArchiveErrorCode.OfferFailsSchema, `the 0501 message fails the xdomea ${version} schema: ${errors[0]}`);
    return xml;
  }

  /** Imports an answer of the archive for the offer `processId`; returns what it did. */
  async importAnswer(processId: string, xml: string, actor: string): Promise<Record<string, unknown>> {
    const { errors, parsed } = await this.schemas.validate(xml);
    if (errors.length > 0 || !parsed) {
      throw new ArchiveException(ArchiveErrorCode.AnswerInvalid, 'the answer is no valid xdomea 3.0.0/3.1.0 message', {
        errors: errors.slice(0, 20).map((message) => ({ field: '$', message })),
      });
    }
    const answerProcess = parsed.text('/*/x:Kopf/x:ProzessID');
    if (answerProcess !== processId) {
      throw new ArchiveException(
        ArchiveErrorCode.AnswerUnexpected,
        `the answer carries process id ${answerProcess ?? 'none'}, not ${processId}`,
      );
    }
    if (parsed.root.endsWith('Bewertungsverzeichnis.0502'))
      return this.appraise(
        processId,
        parsed.texts('/*/x:BewertetesObjekt/x:ID'),
        parsed.texts('/*/x:BewertetesObjekt/x:Aussonderungsart/x:Aussonderungsart/code'),
        actor,
      );
    if (parsed.root.endsWith('AnbietungEmpfangBestaetigen.0504')) return this.close(processId, actor);
    throw new ArchiveException(
      ArchiveErrorCode.AnswerUnexpected,
      `${parsed.root} is no answer to a disposal offer (0502 or 0504 expected)`,
    );
  }

  private async appraise(processId: string, ids: string[], codes: string[], actor: string): Promise<Record<string, unknown>> {
    return this.dataSource.transaction(async (manager) => {
      const offer = await this.repo.offer(manager, processId);
      if (!offer) throw new ArchiveException(ArchiveErrorCode.OfferNotFound, `no disposal offer ${processId}`);
      if (offer.state === 'closed') throw new ArchiveException(ArchiveErrorCode.OfferClosed, `disposal offer ${processId} is closed`);
      const appraised: { fileId: string; appraisal: string }[] = [];
      for (const [i, id] of ids.entries()) {
        const appraisal = codes[i] === 'A' ? 'A' : codes[i] === 'V' ? 'V' : undefined;
        if (!appraisal || !(await this.repo.appraise(manager, id, processId, appraisal))) continue;
        await this.journal.append(manager, id, actor, 'disposal-appraised', { processId, message: '0502', appraisal });
        appraised.push({ fileId: id, appraisal });
      }
      await this.repo.setOfferState(manager, processId, 'appraised');
      return { processId, message: '0502', appraised };
    });
  }

  /** 0504 closes the offer: files appraised A were handed over, files appraised V are destroyed; the rest return. */
  private async close(processId: string, actor: string): Promise<Record<string, unknown>> {
    const files = await this.dataSource.transaction(async (manager) => {
      const offer = await this.repo.offer(manager, processId);
      if (!offer) throw new ArchiveException(ArchiveErrorCode.OfferNotFound, `no disposal offer ${processId}`);
      if (offer.state === 'closed') throw new ArchiveException(ArchiveErrorCode.OfferClosed, `disposal offer ${processId} is closed`);
      const offered = await this.repo.offeredFiles(manager, processId);
      for (const f of offered) {
        if (f.appraisal === 'A') await this.journal.append(manager, f.fileId, actor, 'handed-over', { processId, message: '0504' });
        if (!f.appraisal) await this.repo.returnToClosed(manager, f.fileId);
      }
      await this.repo.setOfferState(manager, processId, 'closed');
      return offered;
    });
    const outcome = { handedOver: 0, destroyed: 0, returned: 0 };
    for (const f of files) {
      if (!f.appraisal) {
        outcome.returned += 1;
        continue;
      }
      const reason = f.appraisal === 'A' ? 'handed-over-to-archive' : 'appraised-destroy';
      if (await this.disposal.deleteFile(f.fileId, reason, actor, null, new Date(), ['offered'])) {
        if (f.appraisal === 'A') outcome.handedOver += 1;
        else outcome.destroyed += 1;
      } else {
        // A legal hold set while the offer was open keeps the file: it returns to retention, to be offered again.
        await this.dataSource.transaction((manager) => this.repo.returnToClosed(manager, f.fileId));
        outcome.returned += 1;
      }
    }
    return { processId, message: '0504', closed: true, ...outcome };
  }
}
