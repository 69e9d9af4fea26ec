import { ContractValidationError } from '@poststelle/contracts';
import { portalSubmission } from '@poststelle/testing';
import { IntakeErrorCode, IntakeException } from '../intake.exception';
import { SubmissionCommand } from './submission.command';

const submitter = { id: 'portal-test', channels: ['portal'], mayAssert: [] };
const body = portalSubmission();

describe('SubmissionCommand, the one validation point of intake', () => {
  it('an HTTP body that breaks the contract names the field', () => {
    const error = (() => {
      try {
        SubmissionCommand.create({ body: { ...body, tenant: { ars: 'x' } }, idempotencyKey: 'k', requestSha512: 'h', submitter });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ContractValidationError);
    expect((error as ContractValidationError).errors.map((e) => e.field)).toContain('tenant.ars');
  });

  it('a Kafka message is validated in one pass, field paths naming the message', () => {
    const error = (() => {
      try {
        SubmissionCommand.fromMessage({ idempotencyKey: 'k-1', submission: { ...body, tenant: { ars: 'x' } } }, submitter);
      } catch (e) {
        return e;
      }
    })();
    expect((error as ContractValidationError).errors.map((e) => e.field)).toContain('submission.tenant.ars');
  });

  it('a Kafka message keeps its body, key and hash for idempotency', () => {
    const command = SubmissionCommand.fromMessage({ idempotencyKey: 'k-1', submission: body }, submitter);
    expect(command.input.idempotencyKey).toBe('kafka:k-1');
    expect(command.input.body).toEqual(body);
    expect(command.input.requestSha512).toMatch(/^[0-9a-f]{128}$/);
    expect(command.submission.tenant.ars).toBe('120540000000');
    expect(() => SubmissionCommand.fromMessage({ idempotencyKey: 'k-2', submission: { ...body, replyChannel: {} } }, submitter)).toThrow(
      IntakeException,
    );
  });

  it('two reply channels are refused on either path', () => {
    const twice = portalSubmission({ replyChannel: { eMail: { address: 'a@example.org' }, deMail: { address: 'b@example.org' } } });
    expect(() => SubmissionCommand.create({ body: twice, idempotencyKey: 'k', requestSha512: 'h', submitter })).toThrow(
      expect.objectContaining({ code: IntakeErrorCode.ReplyChannelAmbiguous }) as IntakeException,
    );
  });
});
