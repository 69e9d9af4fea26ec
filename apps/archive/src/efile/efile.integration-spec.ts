import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataSource } from 'typeorm';
import { ARCHIVE_MIGRATIONS } from '../app.module';
import { type ArchiveSettings } from '../archive.config';
import { verifyChain } from '../journal/journal-chain';
import { Journal } from '../journal/journal';
import { JournalRepository } from '../journal/journal.repository';
import { DisposalRepository } from '../retention/disposal.repository';
import { LegalHoldRepository } from '../retention/legal-hold.repository';
import { FileSystemContentStore } from '../storage/content-store';
import { EFileRepository } from './efile.repository';
import { openTestDatabase, type TestDatabase } from '@poststelle/testing';

// Real PostgreSQL: the e-file tables, the journal's append-only trigger, retention dates and the disposal path.
jest.setTimeout(120_000);

const settings = { journalKey: 'integration-key-0123456789abcdef0123' } as ArchiveSettings;

describe('e-file repositories against PostgreSQL', () => {
  let dataSource: DataSource;
  let db: TestDatabase | undefined;
  let contentDir: string;
  const files = new EFileRepository();
  const journalRepo = new JournalRepository();
  const journal = new Journal(journalRepo, settings);
  const disposal = new DisposalRepository();
  const holds = new LegalHoldRepository();

  const openFile = async (retentionYears: number | null, disposalClass: 'A' | 'B' | 'V' = 'V') => {
    const fileId = randomUUID();
    const caseId = randomUUID();
    await dataSource.transaction(async (m) => {
      await files.insertFile(m, {
        fileId,
        caseId,
        fileReference: `p-2026-${fileId.slice(0, 6)}`,
        procedureId: 'p',
        tenantArs: '120540000000',
        subject: 'Bewohnerparkausweis',
        openedAt: new Date().toISOString(),
        filePlanUnit: '1',
        filePlanTitle: 'x',
        confidentiality: '003',
        retentionYears,
        disposalClass,
      });
      await journal.append(m, fileId, 'system:archive', 'file-opened', { caseId });
      const processId = randomUUID();
      await files.insertProcess(m, { processId, fileId, kind: 'application', title: 'Antrag', openedAt: new Date().toISOString() });
      const documentId = randomUUID();
      await files.insertDocument(m, {
        documentId,
        fileId,
        processId,
        kind: 'form',
        title: 'Antrag Erika Mustermann',
        fileName: 'mustermann.pdf',
        mediaType: 'application/pdf',
        sha512: null,
        blobRef: null,
      });
      const stored = await new FileSystemContentStore(contentDir).put(Buffer.from(`content ${fileId}`));
      const formatId = randomUUID();
      await files.insertVersion(m, {
        versionId: randomUUID(),
        documentId,
        createdAt: new Date().toISOString(),
        formats: [
          {
            formatId,
            role: 'original',
            mediaType: 'application/pdf',
            formatName: 'PDF',
            fileName: 'mustermann.pdf',
            sha256: stored.sha256,
            sizeBytes: stored.sizeBytes,
          },
        ],
      });
      await journal.append(m, fileId, 'system:archive', 'version-created', { documentId, formats: [{ formatId, sha256: stored.sha256 }] });
    });
    return { fileId, caseId };
  };

  beforeAll(async () => {
    contentDir = await mkdtemp(join(tmpdir(), 'efile-int-'));
    db = await openTestDatabase('archive', ARCHIVE_MIGRATIONS);
    dataSource = db.dataSource;
  });

  afterAll(async () => {
    await db?.close();
    await rm(contentDir, { recursive: true, force: true });
  });

  it('appends a chain that verifies, with the head and length kept on the file', async () => {
    const { fileId } = await openFile(10);
    const entries = await journalRepo.entries(dataSource.manager, fileId);
    const file = await files.file(dataSource.manager, fileId);
    expect(entries.map((e) => [e.seq, e.action])).toEqual([
      [1, 'file-opened'],
      [2, 'version-created'],
    ]);
    expect(file).toMatchObject({ journalHead: entries[1]!.hash, journalLength: 2 });
    expect(verifyChain(entries, file!.journalHead, settings.journalKey)).toEqual([]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the journal', async () => {
    const { fileId } = await openFile(10);
    await expect(dataSource.query(`UPDATE archive.journal SET actor = 'mallory' WHERE file_id = $1`, [fileId])).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(dataSource.query('DELETE FROM archive.journal WHERE file_id = $1', [fileId])).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    await expect(dataSource.query('TRUNCATE archive.journal CASCADE')).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it('computes the retention end from the closing, and only due files without an active hold are disposable', async () => {
    const tenYears = await openFile(10);
    const now = await openFile(0);
    const held = await openFile(0);
    const unlimited = await openFile(null);
    const closedAt = '2026-01-15T10:00:00.000Z';
    await dataSource.transaction(async (m) => {
      for (const f of [tenYears, now, held, unlimited]) await files.close(m, f.fileId, closedAt);
      await holds.set(m, { holdId: randomUUID(), fileId: held.fileId, reason: 'Klage', setBy: 'admin' });
    });
    expect((await files.file(dataSource.manager, tenYears.fileId))!.retentionEndsAt!.toISOString()).toBe('2036-01-15T10:00:00.000Z');
    expect((await files.file(dataSource.manager, unlimited.fileId))!.retentionEndsAt).toBeNull();
    const due = await disposal.due(dataSource.manager, new Date());
    const ids = due.files.map((f) => f.fileId);
    expect(ids).toContain(now.fileId);
    expect(ids).not.toContain(held.fileId);
    expect(ids).not.toContain(tenYears.fileId);
    expect(ids).not.toContain(unlimited.fileId);
    expect(due.held).toBeGreaterThanOrEqual(1);
    expect(await dataSource.transaction((m) => disposal.lockDue(m, held.fileId, new Date(), ['closed']))).toBe(false);
  });

  it('deletes a file only on the disposal path, leaving a record with hashes and no title, file name or subject', async () => {
    const { fileId, caseId } = await openFile(0);
    await dataSource.transaction((m) => files.close(m, fileId, new Date(Date.now() - 1000).toISOString()));
    const formats = await files.formats(dataSource.manager, fileId);
    const hashes = await dataSource.transaction(async (m) => {
      expect(await disposal.lockDue(m, fileId, new Date(), ['closed'])).toBe(true);
      return disposal.deleteFile(m, { recordId: randomUUID(), fileId, reason: 'retention-ended', actor: 'ops', runId: randomUUID() });
    });
    expect(hashes).toEqual([formats[0]!.sha256]);
    expect(await files.file(dataSource.manager, fileId)).toBeUndefined();
    expect(await journalRepo.entries(dataSource.manager, fileId)).toEqual([]);
    const record = await disposal.deletionRecord(dataSource.manager, caseId);
    expect(record).toMatchObject({ caseId, reason: 'retention-ended', actor: 'ops', journalLength: 2 });
    const text = JSON.stringify(record);
    for (const personal of ['Mustermann', 'mustermann.pdf', 'Bewohnerparkausweis']) expect(text).not.toContain(personal);
    expect(await disposal.unreferenced(dataSource.manager, hashes)).toEqual(hashes);
    // The trigger is back in force after the disposal transaction.
    const other = await openFile(10);
    await expect(dataSource.query('DELETE FROM archive.journal WHERE file_id = $1', [other.fileId])).rejects.toThrow(/append-only/);
  });

  it('stores identical bytes once', async () => {
    const store = new FileSystemContentStore(contentDir);
    const a = await store.put(Buffer.from('same bytes'));
    const b = await store.put(Buffer.from('same bytes'));
    expect(a).toEqual(b);
    expect((await store.get(a.sha256))!.toString()).toBe('same bytes');
  });
});
