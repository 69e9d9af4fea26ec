import { createHash } from 'node:crypto';
import { pdfToText } from '@poststelle/testing';
import { formatKassenzeichen } from '../domain/kassenzeichen';
import { euro, renderFeeNotice, type FeeNotice } from './fee-notice.pdf';

const notice = (over: Partial<FeeNotice> = {}): FeeNotice => ({
  authorityName: 'Landeshauptstadt Potsdam',
  tenantArs: '120540000000',
  caseId: '5b0f1a8e-3c1d-4b7e-9f2a-1d2c3b4a5e6f',
  serviceName: 'Bewohnerparkausweis',
  leikaKey: '99050012104000',
  amountDue: '1230.5',
  amountPaid: '0.00',
  bookingText: 'BEWOHNERPARKEN',
  kassenzeichen: formatKassenzeichen('120540000000', 2026, 42),
  payee: { accountHolder: 'Stadtkasse Potsdam', iban: 'DE02120300000000202051', bic: 'BYLADEM1001' },
  issuedOn: '2026-12-01',
  dueOn: '2026-12-15',
  ...over,
});

describe('fee notice PDF', () => {
  it('carries the Kassenzeichen, the amount, the payee’s account, the due date and the SEPA hint (text read back by pdftotext)', async () => {
    const n = notice();
    const text = (await pdfToText(await renderFeeNotice(n))).replace(/\s+/g, ' ');
    expect(text).toContain(`Kassenzeichen ${n.kassenzeichen}`);
    expect(text).toContain('Gebühr 1.230,50 EUR');
    expect(text).toContain('IBAN DE02 1203 0000 0000 2020 51');
    expect(text).toContain('BIC BYLADEM1001');
    expect(text).toContain('Fällig bis 15.12.2026');
    expect(text).toContain(`Verwendungszweck unbedingt das Kassenzeichen ${n.kassenzeichen} an`);
    expect(text).toContain('Bewohnerparkausweis (LeiKa 99050012104000)');
    expect(text).toContain(n.caseId);
  });

  it('says the account is told separately when the tenant registered none; the same notice renders to the same bytes', async () => {
    const text = await pdfToText(await renderFeeNotice(notice({ payee: null })));
    expect(text).toContain('Die Bankverbindung der Behörde teilt Ihnen die Behörde gesondert mit.');
    const hash = async () =>
      createHash('sha512')
        .update(await renderFeeNotice(notice()))
        .digest('hex');
    expect(await hash()).toBe(await hash());
  });

  it('writes amounts in German notation from the decimal string', () => {
    expect(euro('30.5')).toBe('30,50 EUR');
    expect(euro('1234567.89')).toBe('1.234.567,89 EUR');
    expect(euro('8.85')).toBe('8,85 EUR');
  });
});
