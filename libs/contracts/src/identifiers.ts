/** LeiKa service key: 14 digits starting with 99. */
export const LEIKA_KEY = /^99\d{12}$/;
export const LEIKA_URN_PREFIX = 'urn:de:fim:leika:leistung:';
export const LEIKA_URN = /^urn:de:fim:leika:leistung:99\d{12}$/;
/** Amtlicher Regionalschlüssel, 12 digits: Land 2 · RB 1 · Kreis 2 · Gemeindeverband 4 · Gemeinde 3. */
export const ARS = /^\d{12}$/;
/** Region prefixes the federal routing service resolves, most specific first. */
export const ARS_PREFIX_LENGTHS = [12, 9, 5, 3, 2] as const;

export function leikaUrn(leikaKey: string): string {
  return `${LEIKA_URN_PREFIX}${leikaKey}`;
}

export function leikaKeyFromUrn(urn: string): string {
  if (!LEIKA_URN.test(urn)) throw new Error(`not a LeiKa URN: '${urn}'`);
  return urn.slice(LEIKA_URN_PREFIX.length);
}

/** The ARS prefixes to try for a region, most specific first (12 → 9 → 5 → 3 → 2). */
export function arsPrefixes(ars: string): string[] {
  if (!ARS.test(ars)) throw new Error(`not a 12-digit ARS: '${ars}'`);
  return ARS_PREFIX_LENGTHS.map((n) => ars.slice(0, n));
}

/**
 * Kassenzeichen issued by Poststelle (on fee events, notices and invoices): `RRRRR-YYYY-NNNNNNN-C`, the first five
 * ARS digits of the tenant, the year, a running number per tenant and year, and a check digit over the 16 digits by
 * ISO/IEC 7064 MOD 11,10 (detects every single-digit error and every transposition of adjacent digits).
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
