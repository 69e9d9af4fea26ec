/**
 * The human case reference, quoted by applicants in replies and printed on cover sheets:
 * `PS-` + 16 hex digits of the case id in four groups + one check character, e.g. `PS-3F2A-9C1B-1111-AAA8-A`.
 *
 * The 16 digits are the case id's random bits (the UUID's version digit is left out), so a reference cannot be
 * guessed (about 2^62 possibilities; the old 8-digit form had 2^32). The check character (ISO/IEC 7064 MOD 17,16,
 * the hybrid system for hexadecimal) catches every single mistyped character and most swapped neighbours, so a
 * typo never attaches mail to somebody else's case.
 */
const GROUPS = /\bPS-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F]{4})-([0-9A-F])\b/gi;

/** The whole reference, anchored: for fields that carry exactly one reference (scan index, clerk resolution). */
export const CASE_REFERENCE_PATTERN = /^PS-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]$/;
export const CASE_REFERENCE_EXAMPLE = 'PS-3F2A-9C1B-1111-AAA8-A';

/** ISO/IEC 7064 MOD 17,16 check character over hexadecimal digits. */
export function checkCharacter(hex: string): string {
  let p = 16;
  for (const ch of hex.toUpperCase()) {
    let s = (p + parseInt(ch, 16)) % 16;
    if (s === 0) s = 16;
    p = (s * 2) % 17;
  }
  return ((17 - p) % 16).toString(16).toUpperCase();
}

/** The 16 digits stored with the case (`intake.cases.case_ref`). */
export function caseReferenceKey(caseId: string): string {
  const hex = caseId.replace(/-/g, '').toUpperCase();
  return hex.slice(0, 12) + hex.slice(13, 17);
}

export function caseReferenceOf(caseId: string): string {
  const key = caseReferenceKey(caseId);
  return `PS-${key.slice(0, 4)}-${key.slice(4, 8)}-${key.slice(8, 12)}-${key.slice(12, 16)}-${checkCharacter(key)}`;
}

/** The stored key of a reference, or undefined when it is malformed or its check character is wrong. */
export function keyOfCaseReference(reference: string): string | undefined {
  const m = new RegExp(GROUPS.source, 'i').exec(reference.trim());
  if (!m || m.index !== 0 || m[0].length !== reference.trim().length) return undefined;
  const key = `${m[1]}${m[2]}${m[3]}${m[4]}`.toUpperCase();
  return checkCharacter(key) === m[5]!.toUpperCase() ? key : undefined;
}

/** Every well-formed reference with a correct check character in the texts, normalised to upper case. */
export function findCaseReferences(...texts: (string | undefined)[]): string[] {
  const found = new Set<string>();
  for (const t of texts) {
    for (const m of (t ?? '').matchAll(GROUPS)) {
      const reference = m[0].toUpperCase();
      if (keyOfCaseReference(reference)) found.add(reference);
    }
  }
  return [...found];
}
