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
