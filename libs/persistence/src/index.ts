export { openDatabase, type DatabaseSettings } from './data-source';
export { FileSystemBlobStore, BlobTooLargeError, blobRefOf, type BlobStore, type StoredBlob } from './blob-store';
export { MailAttempts, type MailAttemptFailure } from './mail-attempts.repository';
export { AdminAuditLog, ADMIN_AUDIT_COLUMNS, type AdminAuditEntry } from './admin-audit.repository';
