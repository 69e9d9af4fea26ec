import { keepRawBody } from '@poststelle/platform';
import { isCollectionPost, type HttpMount, type IntakeSettings } from '../../core';

/**
 * Submission and bundle bodies are read as raw bytes of any content type, so the original is kept even when it is
 * not valid JSON; over the limit, the refusal is still recorded (without the body).
 */
export function portalHttpMounts(settings: IntakeSettings): HttpMount[] {
  const limit = settings.http.bodyLimitBytes;
  return [
    { path: '/v1/submissions', handler: keepRawBody(limit, isCollectionPost) },
    { path: '/v1/bundles', handler: keepRawBody(limit, isCollectionPost) },
  ];
}
