import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PollingLoop } from '@poststelle/platform';
import { Logger } from '@poststelle/telemetry';
import { INTAKE_SETTINGS, type IntakeSettings, isInputRejection } from '../../core';
import { ScanRepository } from './scan.repository';
import { ScanBatchIntakeUseCase } from './scan-batch-intake.use-case';
import { ScanErrorCode, ScanException } from './scan.exception';

export const INDEX_FILE = 'index.xml';
/** The scan centre's seal over `index.xml`: a detached CMS signature (DER or PEM), written before the index. */
export const SEAL_FILE = 'index.xml.p7s';
export const REASON_FILE = 'REJECTED.txt';

/**
 * The watched drop folder (`SCAN_DROP_DIR`, polled: fs.watch misses events on network shares). Layout: one folder
 * per batch, `<SCAN_DROP_DIR>/<batch>/` with the documents and `index.xml`, which the scan centre writes **last**
 * (ideally as `index.xml.tmp` renamed to `index.xml`): a folder is ready when its index is there. The seal over the
 * index, `index.xml.p7s`, is written before the index. Each batch is
 * taken once by the sha512 of its index, even across restarts, then moved to `processed/<batch>`, or to
 * `rejected/<batch>` with `REJECTED.txt` (code and reason). Nothing is ever deleted.
 */
@Injectable()
export class ScanDropFolder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ScanDropFolder');
  private readonly loop: PollingLoop;

  constructor(
    private readonly repo: ScanRepository,
    private readonly scan: ScanBatchIntakeUseCase,
    @Inject(INTAKE_SETTINGS) private readonly settings: IntakeSettings,
  ) {
    this.loop = new PollingLoop('ScanDropFolder', () => this.poll().then(() => 0), settings.scan.dropPollMs, this.log);
  }

  get root(): string {
    return this.settings.scan.dropDir;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.root) return;
    for (const d of ['processed', 'rejected']) await mkdir(join(this.root, d), { recursive: true });
    this.log.info('watching the scan drop folder', { pollMs: this.settings.scan.dropPollMs });
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  async poll(): Promise<void> {
    let entries;
    try {
      entries = await readdir(this.root, { withFileTypes: true });
    } catch (error) {
      this.log.error('the scan drop folder cannot be read', { error: (error as Error).message });
      return;
    }
    for (const e of entries) {
      if (this.loop.stopped) return;
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'processed' || e.name === 'rejected') continue;
      const folder = join(this.root, e.name);
      if (!(await stat(join(folder, INDEX_FILE)).catch(() => undefined))) continue;
      try {
        await this.take(e.name, folder);
      } catch (error) {
        // Infrastructure trouble (database, blob store): the folder stays and is tried again on the next poll.
        this.log.error('scan drop-folder batch failed; retried', { folder: e.name, error: (error as Error).message });
      }
    }
  }

  private async take(name: string, folder: string): Promise<void> {
    const indexBytes = await readFile(join(folder, INDEX_FILE));
    const known = await this.repo.findBatchByIndex(ScanBatchIntakeUseCase.indexSha512(indexBytes));
    if (known && known.status !== 'awaiting-documents') {
      // Seen before (e.g. a crash after it was recorded): only the move is left to do.
      await this.finish(
        name,
        folder,
        known.status === 'rejected' ? { code: known.reasonCode ?? 'REJECTED', reason: known.reason ?? '' } : undefined,
      );
      return;
    }
    let batchId = known?.batchId;
    try {
      if (!batchId) {
        const seal = await readFile(join(folder, SEAL_FILE)).catch(() => undefined);
        const created = await this.scan.createBatch({
          index: indexBytes,
          ...(seal ? { seal } : {}),
          source: 'drop-folder',
          dropFolder: name,
          submittedBy: 'scan-drop-folder',
        });
        batchId = created.batch.batchId;
      }
      const batch = await this.repo.findBatch(batchId);
      const docs = await this.repo.documents(batchId);
      for (const d of docs.filter((x) => x.status === 'pending')) {
        const path = join(folder, d.fileName);
        if (!(await stat(path).catch(() => undefined))) {
          throw new ScanException(
            ScanErrorCode.DocumentMissing,
            `document ${d.documentId} (${d.fileName}) listed in the index is not in the folder`,
          );
        }
        await this.scan.uploadLocalDocument(batchId, d.documentId, path);
      }
      this.log.info('scan drop-folder batch taken', { batchId, folder: name, status: batch?.status });
      await this.finish(name, folder);
    } catch (error) {
      if (!isInputRejection(error)) throw error;
      if (batchId) await this.repo.setBatchStatus(batchId, 'rejected', { code: error.code, reason: error.message });
      this.log.info('scan drop-folder batch rejected', { folder: name, code: error.code });
      await this.finish(name, folder, { code: error.code, reason: error.message });
    }
  }

  private async finish(name: string, folder: string, rejected?: { code: string; reason: string }): Promise<void> {
    const targetDir = join(this.root, rejected ? 'rejected' : 'processed');
    let target = join(targetDir, name);
    if (await stat(target).catch(() => undefined)) target = join(targetDir, `${name}-${Date.now()}`);
    if (rejected) await writeFile(join(folder, REASON_FILE), `${rejected.code}\n${rejected.reason}\n`, 'utf8');
    await rename(folder, target);
  }
}
