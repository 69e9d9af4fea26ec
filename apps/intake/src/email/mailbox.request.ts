import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ARS, LEIKA_KEY } from '@poststelle/contracts';

/** `PUT /v1/admin/mailboxes/{address}`: which tenant (and default service) a receiving address belongs to. */
export class MailboxRequest {
  @IsEmail() address!: string;
  @Matches(ARS, { message: 'tenantArs must be a 12-digit ARS' }) tenantArs!: string;
  @IsOptional() @Matches(LEIKA_KEY, { message: 'leikaKey must be 14 digits starting with 99' }) leikaKey?: string;
  @IsOptional() @IsString() @MaxLength(200) name?: string;
}
