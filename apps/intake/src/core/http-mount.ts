import { type RequestHandler } from 'express';

/**
 * Express middleware a channel needs before Nest's routing (body parsers for raw bodies, header rewrites for streamed
 * uploads). Each channel lists its own; `main.ts` mounts them after authentication (bootstrapService mounts
 * `authenticateFirst` before any of these), in the order given.
 */
export interface HttpMount {
  path: string;
  handler: RequestHandler;
}

/** A POST to the collection itself (`/v1/submissions`, not a sub-path). */
export const isCollectionPost = (req: { method: string; path: string }): boolean =>
  req.method === 'POST' && (req.path === '/' || req.path === '');
