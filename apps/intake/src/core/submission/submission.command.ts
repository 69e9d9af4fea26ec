import {
  REPLY_CHANNEL_KINDS,
  SubmissionSubmittedV1,
  SubmissionV1,
  replyChannelKinds,
  validateContract,
  type BundleRefDto,
} from '@poststelle/contracts';
import { claimForKind, requireChannel, type Submitter } from '../access/channel-trust';
import { sha512Hex } from '../hashing';
import { IntakeErrorCode, IntakeException } from '../intake.exception';

export interface AcceptSubmissionCommand {
  /** Parsed JSON as received; validated by `SubmissionCommand.create`, once. */
  body: unknown;
  idempotencyKey: string;
  /** sha512 of the request body bytes, to tell a replay from a reused key. */
  requestSha512: string;
  /** Set for the sub-cases of a life-event bundle. */
  bundle?: BundleRefDto;
  /** Who hands it in: its channels are checked against the payload's channel kind, its `mayAssert` decides trust. */
  submitter: Submitter;
  /** The scan seal facts in the payload were established by intake itself (scan batches), not the sender's word. */
  scanSealVerifiedByIntake?: boolean;
  /** Set by intake's FIT-Connect API: the case counts as channel `fit-connect` in metrics (its kind stays `portal`). */
  viaFitConnect?: boolean;
}

/**
 * A submission that passed the one validation point of intake: the contract (SubmissionV1), the submitter's right to
 * the channel kind, exactly one reply channel and unique attachment ids. Every channel (HTTP, Kafka, email,
 * FIT-Connect, scan) builds one of these; the use-case accepts nothing else, so it never validates again.
 */
export class SubmissionCommand {
  private constructor(
    readonly submission: SubmissionV1,
    readonly input: Readonly<AcceptSubmissionCommand>,
  ) {}

  /** Validates a submission body as received over HTTP or built by a channel; throws a field-level error. */
  static create(input: AcceptSubmissionCommand): SubmissionCommand {
    return SubmissionCommand.checked(validateContract(SubmissionV1, input.body), input);
  }

  /**
   * Validates a message of `intake.submissions.v1` (the envelope and the submission inside it, in one pass; field
   * paths name the message, e.g. `submission.applicant.email`).
   */
  static fromMessage(payload: unknown, submitter: Submitter): SubmissionCommand {
    const message = validateContract(SubmissionSubmittedV1, payload);
    const body = (payload as { submission: unknown }).submission;
    return SubmissionCommand.checked(message.submission, {
      body,
      idempotencyKey: `kafka:${message.idempotencyKey}`,
      requestSha512: sha512Hex(JSON.stringify(body)),
      submitter,
    });
  }

  private static checked(submission: SubmissionV1, input: AcceptSubmissionCommand): SubmissionCommand {
    requireChannel(input.submitter, claimForKind(submission.channel.kind));
    const kinds = replyChannelKinds(submission.replyChannel);
    if (kinds.length !== 1) {
      throw new IntakeException(
        IntakeErrorCode.ReplyChannelAmbiguous,
        `replyChannel must name exactly one of ${REPLY_CHANNEL_KINDS.join(', ')}; found ${kinds.length === 0 ? 'none' : kinds.join(', ')}`,
        {
          errors: [{ field: 'replyChannel', message: 'exactly one reply channel is required' }],
        },
      );
    }
    const ids = (submission.attachments ?? []).map((a) => a.attachmentId);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw new IntakeException(IntakeErrorCode.DuplicateAttachmentId, `attachmentId '${dup}' is used twice`);
    return new SubmissionCommand(submission, input);
  }
}
