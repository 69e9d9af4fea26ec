export { openDatabase, type DatabaseSettings } from './data-source';
export { FileSystemBlobStore, BlobTooLargeError, blobRefOf, type BlobStore, type StoredBlob } from './blob-store';
