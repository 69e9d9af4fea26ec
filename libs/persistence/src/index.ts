export { openDatabase, type DatabaseSettings } from './data-source';
export { FileSystemBlobStore, blobRefOf, type BlobStore, type StoredBlob } from './blob-store';
