import { BadRequestException } from '@nestjs/common';
import { ContractValidationError } from '@poststelle/contracts';
import { unsupportedMediaType } from './body-errors';
import { ServiceException } from './problem';
import { toProblem } from './problem-details.filter';

describe('problem details (RFC 9457)', () => {
  it('maps validation errors to 422 with field errors', () => {
    const p = toProblem(new ContractValidationError('SubmissionV1', [{ field: 'tenant.ars', message: 'bad' }]), '/v1/submissions');
    expect(p).toMatchObject({ status: 422, errors: [{ field: 'tenant.ars', message: 'bad' }], instance: '/v1/submissions' });
  });
  it('maps typed service errors by code', () => {
    expect(toProblem(new ServiceException('CASE_NOT_FOUND', 404, 'no case x'))).toMatchObject({
      status: 404,
      type: expect.stringMatching(/case-not-found$/) as string,
      detail: 'no case x',
    });
  });
  it('maps body-parser errors', () => {
    expect(toProblem({ type: 'entity.too.large', limit: 10 }).status).toBe(413);
    expect(toProblem({ type: 'entity.parse.failed', message: 'x' }).status).toBe(400);
    expect(toProblem(unsupportedMediaType('text/plain', ['application/json']))).toMatchObject({
      status: 415,
      type: 'https://poststelle.example/problems/unsupported-media-type',
      accepted: ['application/json'],
    });
  });
  it('maps Nest HTTP exceptions and hides unknown errors', () => {
    expect(toProblem(new BadRequestException('Validation failed (uuid v4 is expected)')).status).toBe(400);
    const hidden = toProblem(new Error('password=secret'));
    expect(hidden.status).toBe(500);
    expect(JSON.stringify(hidden)).not.toContain('secret');
  });
  it('maps an outage of the database to 503 with Retry-After, without internals', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const p = toProblem(refused, '/v1/submissions');
    expect(p).toMatchObject({ status: 503, type: 'https://poststelle.example/problems/service-unavailable', retryAfterSeconds: 5 });
    expect(JSON.stringify(p)).not.toContain('5432');
  });
});
