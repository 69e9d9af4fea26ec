import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  sha512: string;
  sizeBytes: number;
  /** `blob:sha512:<hash>`: what Kafka messages and cases carry instead of bytes (claim check). */
  blobRef: string;
}

/** Port: content-addressed storage for attachments and raw originals. Bytes are stored once per hash. */
export interface BlobStore {
  put(bytes: Buffer): Promise<StoredBlob>;
  /** Streams bytes into the store without buffering them whole; fails with BlobTooLargeError past maxBytes. */
  putStream(source: Readable, maxBytes: number): Promise<StoredBlob>;
  has(sha512: string): Promise<StoredBlob | undefined>;
  open(sha512: string): Promise<ReadStream>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the content exceeds the limit of ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export function blobRefOf(sha512: string): string {
  return `blob:sha512:${sha512}`;
}

/**
 * File-system adapter: `<root>/<aa>/<bb>/<sha512>`, written to a temporary file and renamed into place, so a
 * crash never leaves a half-written blob under its final name.
 */
export class FileSystemBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha512: string): string {
    if (!/^[a-f0-9]{128}$/.test(sha512)) throw new Error('invalid sha512');
    return join(this.root, sha512.slice(0, 2), sha512.slice(2, 4), sha512);
  }

  async put(bytes: Buffer): Promise<StoredBlob> {
    const sha512 = createHash('sha512').update(bytes).digest('hex');
    const existing = await this.has(sha512);
    if (existing) return existing;
    const target = this.pathOf(sha512);
    await mkdir(join(target, '..'), { recursive: true });
    const tmp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, target);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    return { sha512, sizeBytes: bytes.length, blobRef: blobRefOf(sha512) };
  }

  async putStream(source: Readable, maxBytes: number): Promise<StoredBlob> {
    await mkdir(this.root, { recursive: true });
    const tmp = join(this.root, `${randomUUID()}.upload.tmp`);
    const hash = createHash('sha512');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new BlobTooLargeError(maxBytes));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp, { flags: 'wx' }));
      const sha512 = hash.digest('hex');
      const existing = await this.has(sha512);
      if (existing) {
        await unlink(tmp);
        return existing;
      }
      const target = this.pathOf(sha512);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(tmp, target);
      return { sha512, sizeBytes: size, blobRef: blobRefOf(sha512) };
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
  }

  async has(sha512: string): Promise<StoredBlob | undefined> {
    try {
      const s = await stat(this.pathOf(sha512));
      return { sha512, sizeBytes: s.size, blobRef: blobRefOf(sha512) };
    } catch {
      return undefined;
    }
  }

  async open(sha512: string): Promise<ReadStream> {
    await stat(this.pathOf(sha512));
    return createReadStream(this.pathOf(sha512));
  }
}
