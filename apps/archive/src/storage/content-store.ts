import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredContent {
  sha256: string;
  sizeBytes: number;
}

/**
 * Port: the e-file's content-addressed store. Bytes are addressed by their SHA-256 and stored once; nothing but a
 * disposal run removes them. An S3-compatible adapter (object key = hash) implements the same four operations.
 */
export interface ContentStore {
  put(bytes: Buffer): Promise<StoredContent>;
  /** The bytes as stored (not checked: verification compares them with the recorded hash). */
  get(sha256: string): Promise<Buffer | undefined>;
  has(sha256: string): Promise<boolean>;
  /** Only a disposal run calls this, and only for content no remaining format references. */
  remove(sha256: string): Promise<void>;
}

export const CONTENT_STORE = Symbol('CONTENT_STORE');

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SHA256 = /^[a-f0-9]{64}$/;

/** File-system adapter: `<root>/<aa>/<bb>/<sha256>`, written to a temporary file and renamed into place. */
export class FileSystemContentStore implements ContentStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error('invalid sha256');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Buffer): Promise<StoredContent> {
    const sha256 = sha256Hex(bytes);
    if (await this.has(sha256)) return { sha256, sizeBytes: bytes.length };
    const target = this.pathOf(sha256);
    await mkdir(join(target, '..'), { recursive: true });
    const tmp = `${target}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, target);
    } catch (error) {
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    return { sha256, sizeBytes: bytes.length };
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch {
      return undefined;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await unlink(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}
