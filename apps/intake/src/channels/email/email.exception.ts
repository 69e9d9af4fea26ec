import { type HttpStatus } from '@poststelle/platform';
import { channelErrors, type IntakeErrorCode, refusalOf } from '../../core';

/** The own codes of the email channel (SMTP, the HTTP drop, mailboxes, forwarded invoices); its other refusals carry the core's IntakeErrorCode. */
export enum EmailErrorCode {
  NotRfc822 = 'EMAIL_NOT_RFC822',
  TooLarge = 'EMAIL_TOO_LARGE',
  TooManyAttachments = 'EMAIL_TOO_MANY_ATTACHMENTS',
  Unparseable = 'EMAIL_UNPARSEABLE',
  Bounce = 'EMAIL_BOUNCE',
  ReadReceipt = 'EMAIL_READ_RECEIPT',
  AutoReply = 'EMAIL_AUTO_REPLY',
  FeedbackReport = 'EMAIL_FEEDBACK_REPORT',
  Spam = 'EMAIL_SPAM',
  Unroutable = 'EMAIL_UNROUTABLE',
  NoReplyAddress = 'EMAIL_NO_REPLY_ADDRESS',
  NoInvoice = 'EMAIL_NO_INVOICE',
  RawNotFound = 'EMAIL_RAW_NOT_FOUND',
  InboundMessageNotFound = 'INBOUND_MESSAGE_NOT_FOUND',
  InvalidMailbox = 'INVALID_MAILBOX',
  MailboxNotFound = 'MAILBOX_NOT_FOUND',
}

/** Exhaustive: a new code does not compile until it has its status. */
const STATUS: Record<EmailErrorCode, HttpStatus> = {
  [EmailErrorCode.NotRfc822]: 415,
  [EmailErrorCode.TooLarge]: 413,
  [EmailErrorCode.TooManyAttachments]: 422,
  [EmailErrorCode.Unparseable]: 422,
  [EmailErrorCode.Bounce]: 422,
  [EmailErrorCode.ReadReceipt]: 422,
  [EmailErrorCode.AutoReply]: 422,
  [EmailErrorCode.FeedbackReport]: 422,
  [EmailErrorCode.Spam]: 422,
  [EmailErrorCode.Unroutable]: 422,
  [EmailErrorCode.NoReplyAddress]: 422,
  [EmailErrorCode.NoInvoice]: 422,
  [EmailErrorCode.RawNotFound]: 404,
  [EmailErrorCode.InboundMessageNotFound]: 404,
  [EmailErrorCode.InvalidMailbox]: 422,
  [EmailErrorCode.MailboxNotFound]: 404,
};

export const EmailException = channelErrors('EmailException', STATUS);
export type EmailException = InstanceType<typeof EmailException>;

/** What the channel's rules refuse with: one of its own codes or one of the core's. */
export type EmailRefusalCode = EmailErrorCode | IntakeErrorCode;
/** The refusal of a code of either kind, as the error of whichever owns it. */
export const emailRefusal = refusalOf(EmailException);
