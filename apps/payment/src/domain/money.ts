/**
 * Amounts as decimal strings, computed exactly: parsed into integer units of 10^-5 (camt amounts have up to five
 * fraction digits), never into a float.
 */
export const MONEY_SCALE = 5;
const FACTOR = 10n ** BigInt(MONEY_SCALE);
const DECIMAL = /^(-?)(\d{1,18})(?:\.(\d{1,5}))?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/** "30.5" → 3050000n. Throws on anything that is not a plain decimal with at most five fraction digits. */
export function toUnits(text: string): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new Error(`not a decimal amount: '${text}'`);
  const units = BigInt(m[2]!) * FACTOR + BigInt((m[3] ?? '').padEnd(MONEY_SCALE, '0'));
  return m[1] === '-' ? -units : units;
}

/** 3050000n → "30.50" (at least two fraction digits, more only when they are not zero). */
export function fromUnits(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const whole = abs / FACTOR;
  let frac = (abs % FACTOR).toString().padStart(MONEY_SCALE, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${sign}${whole}.${frac}`;
}

/** The canonical form of a decimal string ("8.850" → "8.85"). */
export function normalizeAmount(text: string): string {
  return fromUnits(toUnits(text));
}
