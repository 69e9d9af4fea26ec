import { unzip, zip } from './zip';

describe('ZIP of the xdomea transfer', () => {
  it('round-trips entries with UTF-8 names and checks their CRC', () => {
    const entries = [
      { name: 'a_Aussonderung.Aussonderung.0503.xml', bytes: Buffer.from('<x/>') },
      { name: 'b_Straßenplan.pdf', bytes: Buffer.from([0, 1, 2, 255]) },
      { name: 'leer.txt', bytes: Buffer.alloc(0) },
    ];
    const archive = zip(entries, new Date('2026-12-06T12:00:00Z'));
    expect(unzip(archive)).toEqual(entries);
    const broken = Buffer.from(archive);
    broken[broken.indexOf(Buffer.from('<x/>'))] = 0x41;
    expect(() => unzip(broken)).toThrow(/CRC mismatch/);
  });
});
