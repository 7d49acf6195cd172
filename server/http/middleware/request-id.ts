import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a well-formed `X-Request-Id` from the caller or makes one; echoes it on the response. */
export function requestId(req: Request, res: Response, next: NextFunction) {
  const given = req.get('x-request-id');
  const id = given && SAFE_ID.test(given) ? given : randomUUID();
  (req as Request & { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
  next();
}

export function getRequestId(req: Request): string {
  return String((req as Request & { id?: string }).id ?? '');
}
