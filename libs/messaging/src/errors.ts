export enum MessagingErrorCode {
  MalformedMessage = 'MALFORMED_MESSAGE',
  InvalidPayload = 'INVALID_PAYLOAD',
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
  /** An envelope above the configured bound (`MESSAGE_MAX_BYTES`): never built, or parked by the relay. */
  MessageTooLarge = 'MESSAGE_TOO_LARGE',
  /** The broker refused the message itself (too large for the topic, not authorised, invalid topic). */
  RefusedByBroker = 'REFUSED_BY_BROKER',
  /** A later row of a key whose earlier row is parked: kept back so the key's order holds. */
  HeldBehindParkedRow = 'HELD_BEHIND_PARKED_ROW',
  /** A handler kept failing for reasons of its own after the last attempt. */
  HandlerFailed = 'HANDLER_FAILED',
}

/**
 * An error that retrying cannot fix (a poison message): the consumer sends the message straight to its
 * dead-letter topic instead of retrying.
 */
export class NonRetriableError extends Error {
  constructor(
    readonly code: MessagingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NonRetriableError';
  }
}
