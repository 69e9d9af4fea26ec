import { mod11_10 } from '@poststelle/contracts';

/**
 * Kassenzeichen issued by Poststelle: `RRRRR-YYYY-NNNNNNN-C` (format and check digit in libs/contracts, where the
 * events that carry it are defined). Payers write it in the remittance text in any spacing;
 * {@link findKassenzeichen} finds it without separators.
 */
export { KASSENZEICHEN, formatKassenzeichen, mod11_10 } from '@poststelle/contracts';

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
