import { Inject, Injectable } from '@nestjs/common';
import {
  MAIL_AUTH,
  MAIL_PARSER,
  SIGNATURE_VERIFIER,
  type MailAuthPort,
  type MailParserPort,
  type ParsedEmail,
  type SenderAuthentication,
  type SignatureVerification,
  type SignatureVerifierPort,
  type SmtpEnvelope,
} from './email.ports';

/** Reading one raw message: MIME parsing, sender authentication (SPF/DKIM/DMARC) and the S/MIME or PGP signature. */
@Injectable()
export class EmailReader {
  constructor(
    @Inject(MAIL_PARSER) private readonly parser: MailParserPort,
    @Inject(MAIL_AUTH) private readonly auth: MailAuthPort,
    @Inject(SIGNATURE_VERIFIER) private readonly signatures: SignatureVerifierPort,
  ) {}

  parse(raw: Buffer): Promise<ParsedEmail> {
    return this.parser.parse(raw);
  }

  authenticate(raw: Buffer, envelope: SmtpEnvelope): Promise<SenderAuthentication> {
    return this.auth.authenticate(raw, envelope);
  }

  verifySignature(raw: Buffer): Promise<SignatureVerification> {
    return this.signatures.verify(raw);
  }
}
