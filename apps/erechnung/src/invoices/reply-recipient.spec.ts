import { dkimAligned, replyRecipient } from './reply-recipient';

describe('who receives the answer to an emailed invoice', () => {
  it('answers the From address when DKIM passed with a signature aligned to its domain', () => {
    expect(replyRecipient({ from: 'buchhaltung@lieferant.example', dkim: 'pass', dkimDomains: ['lieferant.example'] })).toEqual({
      kind: 'send',
      to: 'buchhaltung@lieferant.example',
      basis: 'dkim-aligned-from',
    });
    expect(replyRecipient({ from: 'rechnung@billing.lieferant.example', dkim: 'pass', dkimDomains: ['lieferant.example'] })).toMatchObject({
      kind: 'send',
    });
  });

  it('does not answer a From address whose passing signature belongs to another domain (a mailing service)', () => {
    const r = replyRecipient({ from: 'ceo@lieferant.example', dkim: 'pass', dkimDomains: ['sendgrid.example'] });
    expect(r).toMatchObject({ kind: 'withheld' });
    expect(r.kind === 'withheld' && r.reason).toContain('aligned with the From domain lieferant.example');
  });

  it('falls back to the supplier address on file when the sender is not authenticated', () => {
    expect(replyRecipient({ from: 'x@lieferant.example', dkim: 'fail', dkimDomains: [] }, 'ap@lieferant.example')).toEqual({
      kind: 'send',
      to: 'ap@lieferant.example',
      basis: 'supplier-on-file',
    });
  });

  it('withholds the answer, with a reason for the clerk, when nothing is verified and nothing is on file', () => {
    const none = replyRecipient({});
    expect(none).toMatchObject({ kind: 'withheld' });
    expect(none.kind === 'withheld' && none.reason).toMatch(/no verified sender.*never go to an unauthenticated Reply-To/);
    const failed = replyRecipient({ from: 'x@lieferant.example', dkim: 'temperror' });
    expect(failed.kind === 'withheld' && failed.reason).toContain('DKIM did not pass for the sender (temperror)');
  });

  it('aligns relaxed, never on a bare top-level domain', () => {
    expect(dkimAligned('lieferant.example', 'LIEFERANT.example.')).toBe(true);
    expect(dkimAligned('lieferant.example', 'mail.lieferant.example')).toBe(true);
    expect(dkimAligned('lieferant.example', 'example')).toBe(false);
    expect(dkimAligned('lieferant.example', 'otherlieferant.example')).toBe(false);
  });
});
