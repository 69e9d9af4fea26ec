import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type BlobStore } from '@poststelle/persistence';
import { applicationFormOf, parseJsonFormData, type ApplicationForm } from '../../core';
import { type ScanIndexDocumentDto } from './scan-index';
import { scanFail } from './scan-outcome';
import { ScanErrorCode } from './scan.exception';

/** A scanned document copied from the blob store into a private temporary directory for the tools, removed after. */
export async function withWorkFile<T>(
  blobs: BlobStore,
  sha512: string,
  mediaType: string,
  task: (path: string, dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ps-scan-'));
  try {
    const path = join(dir, mediaType === 'image/tiff' ? 'input.tif' : 'input.pdf');
    await pipeline(await blobs.open(sha512), createWriteStream(path, { flags: 'wx' }));
    return await task(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The application form a document of the index carries (JSON), checked on arrival and read again when processing. */
export function scanApplicationForm(d: ScanIndexDocumentDto, i: number): ApplicationForm | undefined {
  if (d.applicationForm === undefined) return undefined;
  const what = `documents[${i}].applicationForm`;
  const form = applicationFormOf(parseJsonFormData(Buffer.from(d.applicationForm, 'utf8'), what));
  if (!form) {
    throw scanFail(ScanErrorCode.IndexInvalid, `${what} is not an application form`, [
      { field: what, message: 'must be a JSON object with schemaUri (string) and data (object)' },
    ]);
  }
  return form;
}
