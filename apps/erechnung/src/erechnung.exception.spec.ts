import { ErechnungErrorCode, ErechnungException } from './erechnung.exception';

describe('erechnung errors', () => {
  it('answers every code with a client error, never 500 (a caller can always act on it)', () => {
    for (const code of Object.values(ErechnungErrorCode)) {
      const status = ErechnungException.statusOf(code);
      expect({ code, clientError: status >= 400 && status < 500 }).toEqual({ code, clientError: true });
    }
  });

  it('carries code, status and extensions as problem details', () => {
    const e = new ErechnungException(ErechnungErrorCode.InvalidIban, 'the IBAN check digits are wrong', { errors: [{ field: 'iban' }] });
    expect(e).toMatchObject({ code: 'INVALID_IBAN', status: 422, extensions: { errors: [{ field: 'iban' }] } });
    expect(new ErechnungException(ErechnungErrorCode.ForeignTenant, 'x').status).toBe(403);
    expect(new ErechnungException(ErechnungErrorCode.IssuerNotFound, 'x').status).toBe(404);
  });
});
