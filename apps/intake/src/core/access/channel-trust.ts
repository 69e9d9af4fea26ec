import { type ChannelKind } from '@poststelle/contracts';
import { type Principal } from '@poststelle/platform';
import { IntakeErrorCode, IntakeException } from '../intake.exception';
import { submitterIdOf } from './read-scope';

/** The channel kinds a channel client is registered for (token claim `channels`). */
export const CHANNEL_CLAIMS = ['portal', 'email', 'paper', 'fit-connect', 'adapter'] as const;
export type ChannelClaim = (typeof CHANNEL_CLAIMS)[number];

/** What a channel client may assert about an applicant (token claim `mayAssert`). */
export const ASSERTIONS = ['eid', 'levelOfAssurance'] as const;
export type Assertion = (typeof ASSERTIONS)[number];

/** Who handed a submission in, and what intake believes of what it says (ADR 0016, "trust from the channel"). */
export interface Submitter {
  /** Client id (or subject) of the token; `kafka-adapter`, `smtp`, `scan-drop-folder` for entry points without one. */
  id: string;
  /**
   * The channel kinds it may submit on; checked against the payload's channel by `POST /v1/submissions` and
   * `/v1/bundles`. Undefined: the entry point has decided already (its own claim, Kafka ACLs, intake's own receivers).
   */
  channels?: readonly string[];
  /** What it may assert: `eid` (the applicant used the eID function), `levelOfAssurance`. */
  mayAssert: readonly string[];
}

/**
 * The submitter behind a token. platform-admin is the platform's operator (and the default client of the tests): it
 * may use every channel and assert everything; an authority gives that role to no channel system.
 */
export function submitterOf(principal: Principal): Submitter {
  if (principal.roles.includes('platform-admin')) return { id: submitterIdOf(principal), channels: CHANNEL_CLAIMS, mayAssert: ASSERTIONS };
  return { id: submitterIdOf(principal), channels: principal.channels, mayAssert: principal.mayAssert };
}

/** The claim a submission's channel kind needs: paper scans come from the scan centre (`paper`). */
export function claimForKind(kind: ChannelKind): ChannelClaim {
  switch (kind) {
    case 'portal':
      return 'portal';
    case 'email':
      return 'email';
    case 'scan':
      return 'paper';
  }
}

/** 403 unless the submitter is registered for this channel kind. */
export function requireChannel(submitter: Submitter, claim: ChannelClaim): void {
  if (submitter.channels === undefined || submitter.channels.includes(claim)) return;
  throw new IntakeException(IntakeErrorCode.ChannelNotAllowed, `client '${submitter.id}' is not registered for the channel '${claim}'`, {
    channel: claim,
    allowedChannels: [...submitter.channels],
  });
}

export function mayAssert(submitter: Pick<Submitter, 'mayAssert'>, what: Assertion): boolean {
  return submitter.mayAssert.includes(what);
}
