import { PassThrough, type Readable } from 'node:stream';
import { type BlobStore, type StoredBlob } from '@poststelle/persistence';

/** Reads a refused body to its end so the client gets the answer, not a connection reset. */
export function discard(body: Readable): void {
  body.resume();
}

/**
 * Streams an upload into the blob store (at most `maxBytes`). Through a PassThrough, so a refused body can still be
 * read to its end and answered cleanly (no reset); the store's error is rethrown once the body has ended.
 */
export async function putUpload(blobs: BlobStore, body: Readable, maxBytes: number): Promise<StoredBlob> {
  const pass = new PassThrough();
  body.pipe(pass);
  try {
    return await blobs.putStream(pass, maxBytes);
  } catch (error) {
    body.unpipe(pass);
    if (!body.readableEnded) {
      const ended = new Promise<void>((resolve) =>
        body
          .once('end', resolve)
          .once('error', () => resolve())
          .once('close', resolve),
      );
      body.resume();
      await ended;
    }
    throw error;
  }
}
