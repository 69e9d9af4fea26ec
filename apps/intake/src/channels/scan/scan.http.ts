import express, { type NextFunction, type Request, type Response } from 'express';
import { isCollectionPost, type HttpMount, type IntakeSettings } from '../../core';

/**
 * Scan documents are streamed to the blob store like FIT-Connect uploads; the batch index is read raw (XML). Any
 * content type is read here, so the controller answers a wrong one with its own 415.
 */
export function scanHttpMounts(settings: IntakeSettings): HttpMount[] {
  const path = '/v1/scan/batches';
  const scanIndex = express.raw({ type: () => true, limit: settings.scan.indexMaxBytes * 2 });
  return [
    {
      path,
      handler: (req: Request, _res: Response, next: NextFunction) => {
        if (req.method === 'PUT' && req.path.includes('/documents/')) delete req.headers['content-type'];
        next();
      },
    },
    {
      path,
      handler: (req: Request, res: Response, next: NextFunction) => (isCollectionPost(req) ? void scanIndex(req, res, next) : next()),
    },
  ];
}
