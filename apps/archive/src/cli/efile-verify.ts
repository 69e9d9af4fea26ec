// efile-verify: verifies e-files from the command line (the same check as GET /v1/cases/{caseId}/file/verify).
//   node scripts/run-ts.js apps/archive/src/cli/efile-verify.ts --case <caseId> [--case <caseId> ...] | --all
//   (or from the build: node dist/apps/archive/src/cli/efile-verify.js ...)
// Reads DATABASE_URL, BLOB_DIR / EFILE_CONTENT_DIR and EFILE_JOURNAL_KEY like the service. Prints one JSON line per
// file; exit code 0 when every file verifies, 1 when a problem was found, 2 on wrong usage. Each verification is
// journaled in the file (`file-verified`, actor `cli:<user>`).
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { openDatabase } from '@poststelle/persistence';
import { loadConfig } from '@poststelle/platform';
import { type ArchiveSettings } from '../archive.config';
import { EFileRepository } from '../efile/efile.repository';
import { VerifyFileUseCase } from '../efile/verify-file.use-case';
import { Journal } from '../journal/journal';
import { JournalRepository } from '../journal/journal.repository';
import { FileSystemContentStore } from '../storage/content-store';

class CliEnv {
  @Matches(/^postgres(ql)?:\/\//) DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/postgres';
  @IsString() BLOB_DIR: string = '.data/blobs';
  @IsOptional() @IsString() EFILE_CONTENT_DIR?: string;
  @IsOptional() @IsString() @MinLength(32) EFILE_JOURNAL_KEY?: string;
}

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: efile-verify --case <caseId> [--case <caseId> ...] | --all\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  const cases: string[] = [];
  let all = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--all') all = true;
    else if (argv[i] === '--case' && argv[i + 1]) cases.push(argv[(i += 1)]!);
    else usage(`unknown argument ${argv[i]}`);
  }
  if (!all && cases.length === 0) usage('name the files to verify');
  const env = loadConfig(CliEnv);
  const settings = { journalKey: env.EFILE_JOURNAL_KEY } as ArchiveSettings;
  const dataSource = await openDatabase({ url: env.DATABASE_URL, schema: 'archive', poolSize: 2 }, [], []);
  const files = new EFileRepository();
  const journalRepo = new JournalRepository();
  const journal = new Journal(journalRepo, settings);
  const verify = new VerifyFileUseCase(
    files,
    journalRepo,
    journal,
    new FileSystemContentStore(env.EFILE_CONTENT_DIR ?? join(env.BLOB_DIR, 'efile-sha256')),
  );
  const actor = `cli:${userInfo().username}`;
  let failed = 0;
  try {
    const targets = all ? await files.allCaseIds(dataSource.manager) : cases;
    for (const caseId of targets) {
      const file = await files.fileOfCase(dataSource.manager, caseId);
      if (!file) {
        process.stdout.write(
          `${JSON.stringify({ caseId, ok: false, problems: [{ code: 'FILE_NOT_FOUND', detail: `no e-file for case ${caseId}` }] })}\n`,
        );
        failed += 1;
        continue;
      }
      const result = await verify.execute(dataSource.manager, file.fileId);
      await dataSource.transaction((m) =>
        journal.append(m, file.fileId, actor, 'file-verified', { ok: result.ok, problems: result.problems.map((p) => p.code) }),
      );
      process.stdout.write(`${JSON.stringify({ caseId, fileReference: file.fileReference, ok: result.ok, problems: result.problems })}\n`);
      if (!result.ok) failed += 1;
    }
  } finally {
    await dataSource.destroy();
  }
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`efile-verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
