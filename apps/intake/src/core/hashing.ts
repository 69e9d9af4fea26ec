import { createHash } from 'node:crypto';

/** The sha512 of bytes as lowercase hex: how intake names originals, attachments and request bodies. */
export function sha512Hex(bytes: Buffer | string): string {
  return createHash('sha512').update(bytes).digest('hex');
}
