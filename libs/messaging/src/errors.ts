export enum MessagingErrorCode {
  MalformedMessage = 'MALFORMED_MESSAGE',
  InvalidPayload = 'INVALID_PAYLOAD',
  UnknownEventType = 'UNKNOWN_EVENT_TYPE',
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
