/**
 * Leitweg-ID (BT-10 for German authorities): coarse address of 2–12 digits, optional fine address of up to 30
 * letters/digits, two check digits, joined by '-'. Check digits per ISO/IEC 7064 MOD 97-10 over coarse + fine
 * address (letters A–Z count as 10–35, case-insensitive).
 */
export interface LeitwegId {
  value: string;
  coarse: string;
  fine?: string;
  checkDigits: string;
}

export type LeitwegIdResult = { valid: true; id: LeitwegId } | { valid: false; reason: 'format' | 'check-digits'; message: string };

const FORMAT = /^(\d{2,12})(?:-([A-Za-z0-9]{1,30}))?-(\d{2})$/;

export function parseLeitwegId(input: string): LeitwegIdResult {
  const value = input.trim();
  const m = FORMAT.exec(value);
  if (!m?.[1] || !m[3]) {
    return {
      valid: false,
      reason: 'format',
      message: `"${value}" is not a Leitweg-ID: expected <2–12 digits>[-<up to 30 letters/digits>]-<2 check digits>.`,
    };
  }
  const [coarse, fine, checkDigits] = [m[1], m[2], m[3]];
  const expected = leitwegCheckDigits(coarse + (fine ?? ''));
  if (expected !== checkDigits) {
    return {
      valid: false,
      reason: 'check-digits',
      message: `Leitweg-ID "${value}": check digits ${checkDigits} are wrong (expected ${expected}).`,
    };
  }
  return { valid: true, id: { value, coarse, ...(fine ? { fine } : {}), checkDigits } };
}

/** ISO/IEC 7064 MOD 97-10 check digits for an alphanumeric string. */
export function leitwegCheckDigits(payload: string): string {
  let remainder = 0;
  for (const ch of `${payload.toUpperCase()}00`) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}
