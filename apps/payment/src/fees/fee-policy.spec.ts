import { kassenzeichen, pickFee, type FeeRow } from './fee-policy';

describe('fee schedule', () => {
  const rows: FeeRow[] = [
    { arsPrefix: '12', amount: '30.00', policy: 'before-processing', bookingText: 'LAND' },
    { arsPrefix: '12054', amount: '25.00', policy: 'deferred', bookingText: 'POTSDAM' },
  ];
  it('uses the most specific region entry', () => {
    expect(pickFee('120540000000', rows)?.bookingText).toBe('POTSDAM');
    expect(pickFee('120600000000', rows)?.bookingText).toBe('LAND');
    expect(pickFee('050000000000', rows)).toBeUndefined();
  });
  it('formats the Kassenzeichen as region · year · number', () => {
    expect(kassenzeichen('120540000000', 2026, 42)).toBe('12054-2026-000042');
  });
});
