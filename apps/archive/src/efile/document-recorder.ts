import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type BlobStore } from '@poststelle/persistence';
import { BLOB_STORE } from '@poststelle/platform';
import { Journal } from '../journal/journal';
import { CONTENT_STORE, type ContentStore } from '../storage/content-store';
import { EFileRepository } from './efile.repository';
import { formatNameOf, needsRendition } from './media-formats';
import { RenditionRepository } from './rendition.repository';

export interface IncomingDocument {
  kind: 'form' | 'attachment' | 'follow-up' | 'email' | 'notice' | 'invoice' | 'status-history';
  title: string;
  fileName: string;
  mediaType: string;
  bytes: Buffer;
  /** The claim-check hash the bytes arrived under (shared blob store), if any. */
  sha512?: string;
  blobRef?: string;
}

export class BlobIntegrityError extends Error {}

/** Puts documents into an e-file: bytes into the content store, rows for document, version and format, journal entries. */
@Injectable()
export class DocumentRecorder {
  constructor(
    private readonly files: EFileRepository,
    private readonly renditions: RenditionRepository,
    private readonly journal: Journal,
    @Inject(CONTENT_STORE) private readonly content: ContentStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  /** The bytes of a shared blob (claim check), checked against their sha512. */
  async readBlob(sha512: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.blobs.open(sha512))
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    const bytes = Buffer.concat(chunks);
    if (createHash('sha512').update(bytes).digest('hex') !== sha512)
      throw new BlobIntegrityError(`blob ${sha512.slice(0, 16)}… does not match its hash`);
    return bytes;
  }

  async hasBlob(sha512: string): Promise<boolean> {
    return (await this.blobs.has(sha512)) !== undefined;
  }

  /** A new document with its first version (the original format) in the given process. */
  async add(manager: EntityManager, fileId: string, processId: string, doc: IncomingDocument, actor: string): Promise<string> {
    const documentId = randomUUID();
    await this.files.insertDocument(manager, {
      documentId,
      fileId,
      processId,
      kind: doc.kind,
      title: doc.title,
      fileName: doc.fileName,
      mediaType: doc.mediaType,
      sha512: doc.sha512 ?? createHash('sha512').update(doc.bytes).digest('hex'),
      blobRef: doc.blobRef ?? null,
    });
    await this.journal.append(manager, fileId, actor, 'document-added', {
      documentId,
      processId,
      kind: doc.kind,
      title: doc.title,
      mediaType: doc.mediaType,
    });
    await this.addVersion(manager, fileId, documentId, doc, actor);
    return documentId;
  }

  /** The next version of a document: its bytes as the original format; PDFs and scans are queued for a PDF/A rendition. */
  async addVersion(manager: EntityManager, fileId: string, documentId: string, doc: IncomingDocument, actor: string): Promise<number> {
    const stored = await this.content.put(doc.bytes);
    const versionId = randomUUID();
    const createdAt = new Date().toISOString();
    const format = {
      formatId: randomUUID(),
      role: 'original' as const,
      mediaType: doc.mediaType,
      formatName: formatNameOf(doc.mediaType),
      fileName: doc.fileName,
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
    };
    const number = await this.files.insertVersion(manager, { versionId, documentId, createdAt, formats: [format] });
    await this.journal.append(manager, fileId, actor, 'version-created', {
      documentId,
      versionId,
      number,
      formats: [
        {
          formatId: format.formatId,
          role: 'original',
          mediaType: doc.mediaType,
          formatName: format.formatName,
          sha256: stored.sha256,
          sizeBytes: stored.sizeBytes,
        },
      ],
    });
    if (needsRendition(doc.mediaType)) await this.renditions.enqueue(manager, versionId);
    return number;
  }
}
