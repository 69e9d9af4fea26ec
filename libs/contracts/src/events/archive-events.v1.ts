import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsISO8601, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { SHA512_HEX } from '../case/common.dto';

export class ArchivedDocumentDto {
  @IsUUID('4') documentId!: string;
  @IsString() @MaxLength(255) title!: string;
  @IsString() @MaxLength(255) fileName!: string;
  @IsString() mediaType!: string;
  @Matches(SHA512_HEX) sha512!: string;
  @Matches(/^blob:sha512:[a-f0-9]{128}$/) blobRef!: string;
}

/** `archive.records.v1` / type `archive.file-opened`: the case's e-file (Akte) with its recorded documents. */
export class ArchiveFileOpenedV1 {
  @IsUUID('4') caseId!: string;
  @IsUUID('4') fileId!: string;
  /** Aktenzeichen assigned by the archive. */
  @IsString() @MaxLength(100) fileReference!: string;
  @IsString() procedureId!: string;
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => ArchivedDocumentDto) documents!: ArchivedDocumentDto[];
  @IsISO8601() openedAt!: string;
}
