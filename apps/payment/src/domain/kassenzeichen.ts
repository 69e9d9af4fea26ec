/**
 * Kassenzeichen issued by Poststelle: `RRRRR-YYYY-NNNNNNN-C`
 * - RRRRR: the first five ARS digits of the tenant (Land, Regierungsbezirk, Kreis),
 * - YYYY: the year of issue, NNNNNNN: a running number per tenant and year,
 * - C: check digit over the 16 digits by ISO/IEC 7064 MOD 11,10 (detects every single-digit error and every
 *   transposition of adjacent digits).
 * Payers write it in the remittance text in any spacing; {@link findKassenzeichen} finds it without separators.
 */
export const KASSENZEICHEN = /^\d{5}-\d{4}-\d{7}-\d$/;

/** ISO/IEC 7064 MOD 11,10 check digit of a string of decimal digits. */
export function mod11_10(digits: string): number {
  let p = 10;
  for (const ch of digits) {
    let s = (p + Number(ch)) % 10;
    if (s === 0) s = 10;
    p = (s * 2) % 11;
  }
  return (11 - p) % 10;
}

export function formatKassenzeichen(tenantArs: string, year: number, seq: number): string {
  const body = `${tenantArs.slice(0, 5)}${String(year).padStart(4, '0')}${String(seq).padStart(7, '0')}`;
  return `${body.slice(0, 5)}-${body.slice(5, 9)}-${body.slice(9)}-${mod11_10(body)}`;
}

export function isValidKassenzeichen(text: string): boolean {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{17}$/.test(digits) && mod11_10(digits.slice(0, 16)) === Number(digits[16]);
}

/** The canonical form of 17 digits (`12054202600000427` → `12054-2026-0000042-7`). */
export function canonicalKassenzeichen(digits: string): string {
  return `${digits.slice(0, 5)}-${digits.slice(5, 9)}-${digits.slice(9, 16)}-${digits.slice(16)}`;
}

/**
 * Every Kassenzeichen with a valid check digit in a remittance text, also when split over several lines or written
 * with spaces, dashes, dots or slashes: separators are removed and each 17-digit window of a digit run is checked.
 */
export function findKassenzeichen(text: string): string[] {
  const compact = text.replace(/[\s\-./]/g, '');
  const found = new Set<string>();
  for (const run of compact.match(/\d{17,}/g) ?? []) {
    for (let i = 0; i + 17 <= run.length; i += 1) {
      const window = run.slice(i, i + 17);
      if (isValidKassenzeichen(window)) found.add(canonicalKassenzeichen(window));
    }
  }
  return [...found];
}
