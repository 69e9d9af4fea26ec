import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PollingLoop } from '@poststelle/platform';
import { Logger, describeError } from '@poststelle/telemetry';
import { ARCHIVE_SETTINGS, type ArchiveSettings } from '../archive.config';
import { Journal } from '../journal/journal';
import { CONTENT_STORE, type ContentStore } from '../storage/content-store';
import { EFileRepository } from './efile.repository';
import { PDFA_RENDERER, type PdfaRenderer } from './pdfa-renderer';
import { RenditionRepository } from './rendition.repository';

const MAX_ATTEMPTS = 3;

/** Renders queued PDFs and scans to PDF/A beside the original (same version, second format), journaled. */
@Injectable()
export class RenditionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Rendition');
  private readonly loop = new PollingLoop('rendition', () => this.round(), 2000);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: RenditionRepository,
    private readonly files: EFileRepository,
    private readonly journal: Journal,
    @Inject(CONTENT_STORE) private readonly content: ContentStore,
    @Inject(PDFA_RENDERER) private readonly renderer: PdfaRenderer,
    @Inject(ARCHIVE_SETTINGS) private readonly settings: ArchiveSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.rendition.enabled) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  nudge(): void {
    this.loop.nudge();
  }

  /** One task: returns 1 when one was handled, else 0. */
  async round(): Promise<number> {
    const task = await this.queue.claim(this.dataSource.manager, Math.ceil(this.settings.rendition.timeoutMs / 1000) + 30);
    if (!task) return 0;
    try {
      const original = await this.content.get(task.sha256);
      if (!original) throw new Error(`original ${task.sha256} is missing from the content store`);
      const rendered = await this.renderer.render(original, task.mediaType);
      const stored = await this.content.put(rendered.bytes);
      const formatId = randomUUID();
      const fileName = `${task.fileName.replace(/\.[^.]*$/, '')}.pdfa.pdf`;
      await this.dataSource.transaction(async (manager) => {
        const createdAt = new Date().toISOString();
        await this.files.insertFormat(manager, task.versionId, createdAt, {
          formatId,
          role: 'rendition',
          mediaType: 'application/pdf',
          formatName: rendered.formatName,
          fileName,
          sha256: stored.sha256,
          sizeBytes: stored.sizeBytes,
        });
        await this.journal.append(manager, task.fileId, 'system:archive', 'rendition-created', {
          documentId: task.documentId,
          versionId: task.versionId,
          tool: 'ocrmypdf',
          formats: [
            {
              formatId,
              role: 'rendition',
              mediaType: 'application/pdf',
              formatName: rendered.formatName,
              sha256: stored.sha256,
              sizeBytes: stored.sizeBytes,
            },
          ],
        });
        await this.queue.finish(manager, task.versionId, 'done');
      });
      this.log.info('PDF/A rendition created', { fileId: task.fileId, documentId: task.documentId, versionId: task.versionId });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.warn('rendition failed', { versionId: task.versionId, attempt: task.attempts, ...describeError(error) });
      await this.dataSource.transaction(async (manager) => {
        if (task.attempts >= MAX_ATTEMPTS) {
          await this.queue.finish(manager, task.versionId, 'failed', reason);
          await this.journal.append(manager, task.fileId, 'system:archive', 'rendition-failed', {
            documentId: task.documentId,
            versionId: task.versionId,
            reason,
          });
        } else {
          await this.queue.finish(manager, task.versionId, 'pending', reason);
        }
      });
    }
    return 1;
  }
}
