import { arsPrefixes } from '@poststelle/contracts';

export interface FeeRow {
  arsPrefix: string;
  amount: string;
  policy: 'none' | 'optional' | 'before-processing' | 'deferred';
  bookingText: string;
}

/** The fee schedule entry for a region: the most specific ARS prefix wins, as for routing. */
export function pickFee(ars: string, rows: FeeRow[]): FeeRow | undefined {
  for (const prefix of arsPrefixes(ars)) {
    const row = rows.find((r) => r.arsPrefix === prefix);
    if (row) return row;
  }
  return undefined;
}

/** Kassenzeichen: authority region (5 digits: Land, RB, Kreis) · year · running number, e.g. 12060-2026-000042. */
export function kassenzeichen(ars: string, year: number, seq: number): string {
  return `${ars.slice(0, 5)}-${year}-${String(seq).padStart(6, '0')}`;
}
