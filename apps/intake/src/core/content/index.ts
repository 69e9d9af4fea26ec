/** Content checks shared by every intake channel (portal, FIT-Connect, email, scan). */
export { validateContent, type ContentFacts, type ContentItem, type ContentLimits } from './content-validation';
export { inspectPdf, looksLikePdf, type PdfFacts, type PdfInspection, type PdfProblem } from './pdf-inspection';
export { mediaTypeMismatch, sniffMediaType, type SniffedType } from './media-type';
export { archiveFacts, assertNotArchiveBomb, type ArchiveFacts, type ArchiveLimits } from './archive-inspection';
export { decodeUtf8, parseJsonFormData, parseXmlFormData } from './form-data';
