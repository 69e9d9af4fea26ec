import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ARS, LEIKA_KEY } from '@poststelle/contracts';
import { MAILBOX_PURPOSES, type MailboxPurpose } from './email-rules';

/** `PUT /v1/admin/mailboxes/{address}`: which tenant (and default service) a receiving address belongs to, and its purpose. */
export class MailboxRequest {
  @IsEmail() address!: string;
  @Matches(ARS, { message: 'tenantArs must be a 12-digit ARS' }) tenantArs!: string;
  @IsOptional() @Matches(LEIKA_KEY, { message: 'leikaKey must be 14 digits starting with 99' }) leikaKey?: string;
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  /** `invoices`: an e-invoice mailbox (attachments go to erechnung); default `applications`. */
  @IsOptional() @IsIn(MAILBOX_PURPOSES, { message: `purpose must be one of ${MAILBOX_PURPOSES.join(', ')}` }) purpose?: MailboxPurpose;
}
