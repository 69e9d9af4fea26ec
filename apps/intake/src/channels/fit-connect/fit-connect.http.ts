import { type NextFunction, type Request, type Response } from 'express';
import { keepRawBody } from '@poststelle/platform';
import { isCollectionPost, type HttpMount, type IntakeSettings } from '../../core';

/**
 * Announce and submit bodies are read raw (kept even when not valid JSON). Attachment uploads are streamed to the
 * blob store: their content type is hidden from the body parsers.
 */
export function fitConnectHttpMounts(settings: IntakeSettings): HttpMount[] {
  const path = '/v1/fit-connect/submissions';
  return [
    {
      path,
      handler: keepRawBody(
        settings.http.bodyLimitBytes,
        (req) => isCollectionPost(req) || (req.method === 'POST' && /^\/[^/]+\/submit\/?$/.test(req.path)),
      ),
    },
    {
      path,
      handler: (req: Request, _res: Response, next: NextFunction) => {
        if (req.method === 'PUT' && req.path.includes('/attachments/')) {
          // Kept for the announced-type check (a client-sent header of this name is overwritten), then hidden.
          req.headers['x-ps-upload-content-type'] = req.headers['content-type'] ?? '';
          delete req.headers['content-type'];
        }
        next();
      },
    },
  ];
}
