import { join } from 'node:path';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { ServiceEnv, loadConfig, platformSettings, type PlatformSettings } from '@poststelle/platform';

export class ArchiveEnv extends ServiceEnv {
  /** Where the e-file content store keeps its bytes (file system adapter), one file per SHA-256; default `<BLOB_DIR>/efile-sha256`. */
  @IsOptional() @IsString() EFILE_CONTENT_DIR?: string;
  /** The content store adapter: `fs` (file system). An S3-compatible adapter plugs in behind the same port. */
  @IsIn(['fs']) EFILE_CONTENT_STORE = 'fs' as const;
  /** Operator key (≥ 32 characters) sealing journal entries and daily digests with HMAC-SHA256; without it, plain SHA-256. */
  @IsOptional() @IsString() @MinLength(32) EFILE_JOURNAL_KEY?: string;
  /** PDF/A renditions of PDFs and scans with ocrmypdf (tesseract languages below). */
  @Transform(({ obj }: { obj: Record<string, unknown> }) => !['false', '0', false].includes(obj['EFILE_RENDITION'] as string))
  @IsBoolean()
  EFILE_RENDITION: boolean = true;
  @IsString() EFILE_OCR_LANGUAGES: string = 'deu';
  @IsInt() @Min(1000) @Max(600000) EFILE_OCR_TIMEOUT_MS: number = 120000;
  /** How often the scheduled disposal run starts (0: only by API). */
  @IsInt() @Min(0) EFILE_DISPOSAL_INTERVAL_MS: number = 24 * 3600 * 1000;
  /** How often the daily digest over all journal heads is checked for (one digest per UTC day; 0: only by API). */
  @IsInt() @Min(0) EFILE_DIGEST_INTERVAL_MS: number = 3600 * 1000;
  /** Names in the xdomea messages' header. */
  @IsString() EFILE_XDOMEA_SENDER: string = 'Poststelle';
  @IsString() EFILE_XDOMEA_ARCHIVE: string = 'Zuständiges Archiv';
  /** Folder with the shipped xdomea XSDs (default: apps/archive/xsd of this checkout). */
  @IsOptional() @IsString() EFILE_XSD_DIR?: string;
}

export interface ArchiveSettings {
  contentDir: string;
  journalKey: string | undefined;
  rendition: { enabled: boolean; languages: string; timeoutMs: number };
  disposalIntervalMs: number;
  digestIntervalMs: number;
  xdomea: { sender: string; archive: string; xsdDir: string | undefined };
}

export const ARCHIVE_SETTINGS = Symbol('ARCHIVE_SETTINGS');

export function loadArchiveSettings(env: NodeJS.ProcessEnv = process.env): { platform: PlatformSettings; archive: ArchiveSettings } {
  const e = loadConfig(ArchiveEnv, env);
  return {
    platform: platformSettings(e, 'archive', 'archive', 8085),
    archive: {
      contentDir: e.EFILE_CONTENT_DIR ?? join(e.BLOB_DIR, 'efile-sha256'),
      journalKey: e.EFILE_JOURNAL_KEY,
      rendition: { enabled: e.EFILE_RENDITION, languages: e.EFILE_OCR_LANGUAGES, timeoutMs: e.EFILE_OCR_TIMEOUT_MS },
      disposalIntervalMs: e.EFILE_DISPOSAL_INTERVAL_MS,
      digestIntervalMs: e.EFILE_DIGEST_INTERVAL_MS,
      xdomea: { sender: e.EFILE_XDOMEA_SENDER, archive: e.EFILE_XDOMEA_ARCHIVE, xsdDir: e.EFILE_XSD_DIR },
    },
  };
}
