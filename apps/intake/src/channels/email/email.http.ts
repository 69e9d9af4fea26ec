import express from 'express';
import { type HttpMount, type IntakeSettings } from '../../core';

/**
 * Raw RFC 822 messages up to twice the message limit are read and kept, so an oversized one is still stored and
 * rejected with a reason; beyond that the body parser answers 413.
 */
export function emailHttpMounts(settings: IntakeSettings): HttpMount[] {
  return [{ path: '/v1/email', handler: express.raw({ type: () => true, limit: settings.email.maxMessageBytes * 2 }) }];
}
