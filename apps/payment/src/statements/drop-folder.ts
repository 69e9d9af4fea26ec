import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ARS } from '@poststelle/contracts';
import { PollingLoop } from '@poststelle/platform';
import { Logger, describeError } from '@poststelle/telemetry';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../payment.config';
import { ImportStatementUseCase } from './import-statement.use-case';

/**
 * Imports statements dropped into `<STATEMENT_DROP_DIR>/<tenant ARS>/`: an imported file moves to `imported/`, a
 * refused one to `failed/` next to a `<name>.error.txt` that says why. The folder's tenant is the statement's.
 */
@Injectable()
export class StatementDropFolder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('StatementDropFolder');
  private readonly loop: PollingLoop | undefined;

  constructor(
    @Inject(PAYMENT_SETTINGS) private readonly settings: PaymentSettings,
    private readonly importStatement: ImportStatementUseCase,
  ) {
    if (settings.statements.dropDir)
      this.loop = new PollingLoop('statement-drop-folder', () => this.scan(), settings.statements.dropPollMs);
  }

  onApplicationBootstrap(): void {
    this.loop?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop?.stop();
  }

  async scan(): Promise<number> {
    const root = this.settings.statements.dropDir;
    if (!root) return 0;
    let handled = 0;
    for (const tenant of await readdir(root).catch(() => [] as string[])) {
      if (!ARS.test(tenant)) continue;
      const dir = join(root, tenant);
      for (const name of (await readdir(dir).catch(() => [] as string[])).filter((n) => n.toLowerCase().endsWith('.xml'))) {
        await this.importFile(dir, tenant, name);
        handled += 1;
      }
    }
    return handled;
  }

  private async importFile(dir: string, tenant: string, name: string): Promise<void> {
    const path = join(dir, name);
    try {
      const receipt = await this.importStatement.execute(await readFile(path), tenant, {
        actor: 'drop-folder',
        source: 'drop-folder',
        fileName: name,
      });
      await mkdir(join(dir, 'imported'), { recursive: true });
      await rename(path, join(dir, 'imported', name));
      this.log.info('dropped statement imported', { tenant, name, importId: receipt.importId, alreadyImported: receipt.alreadyImported });
    } catch (error) {
      await mkdir(join(dir, 'failed'), { recursive: true });
      await writeFile(join(dir, 'failed', `${name}.error.txt`), `${(error as Error).message}\n`);
      await rename(path, join(dir, 'failed', name));
      this.log.warn('dropped statement refused', { tenant, name, ...describeError(error) });
    }
  }
}
