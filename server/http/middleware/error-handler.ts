import type { NextFunction, Request, Response } from 'express';
import { DomainError, type ErrorCode } from '../../../domain/shared/errors.ts';
import { ERROR_STATUS } from '../error-status.ts';
import { throttledWarn, type Logger } from '../../lib/logger.ts';
import { isDependencyUnavailable } from '../../lib/unavailable.ts';
import { getRequestId } from './request-id.ts';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/**
 * The one place errors become HTTP responses: `{error, message, request_id, ...details}`.
 * Rule violations map by code; anything else is logged with the request id and answered 500 without details.
 */
export function errorHandler(logger: Logger) {
  const warnOutage = throttledWarn(logger);
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = getRequestId(req);
    let status: number;
    let body: Record<string, unknown>;
    const bp = err as BodyParserError;
    if (err instanceof DomainError) {
      status = ERROR_STATUS[err.code];
      body = { error: err.code, message: err.message, ...err.details };
      if (typeof err.details.retry_after === 'number') res.setHeader('Retry-After', String(err.details.retry_after));
    } else if (bp?.type === 'entity.parse.failed') {
      [status, body] = reply('request/malformed_json', 'The request body is not valid JSON.');
    } else if (bp?.type === 'entity.too.large') {
      [status, body] = reply('request/too_large', 'The request body is too large.');
    } else if (bp?.type && bp.expose && bp.status && bp.status < 500) {
      [status, body] = reply('request/invalid', `The request body could not be read (${bp.type}).`);
    } else if (isClientError(err)) {
      [status, body] = reply(
        'request/invalid',
        err instanceof URIError ? 'The request path is not valid percent-encoding.' : 'The request could not be read.',
      );
    } else if (isDependencyUnavailable(err)) {
      [status, body] = reply('service/unavailable', 'A backing service is unavailable; try again shortly.');
      // an outage fails every request: one line per 10 s (with the count held back), each request is in the access log
      warnOutage('dependency unavailable', { err, requestId }, 'dependency unavailable');
    } else {
      [status, body] = reply('internal/error', 'Something went wrong on our side. Quote the request id when reporting it.');
      logger.error({ err, requestId, method: req.method, url: req.originalUrl }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(status).json({ ...body, request_id: requestId });
  };
}

/** A status and body for an error raised outside the services (body parser, router, outages). */
function reply(code: ErrorCode, message: string): [number, Record<string, unknown>] {
  return [ERROR_STATUS[code], { error: code, message }];
}

/**
 * An error Express's router or body-parser raised for the client's input, marked with a 4xx status but no body-parser
 * `type`: a path parameter that is not valid percent-encoding (`/events/%ZZ/claim`), a body whose Content-Encoding
 * does not decompress (gzip, deflate, br).
 */
function isClientError(err: unknown): boolean {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  return status >= 400 && status < 500;
}

/** JSON 404 for any path no route answered. */
export function notFound(req: Request, res: Response) {
  res
    .status(ERROR_STATUS['resource/not_found'])
    .json({ error: 'resource/not_found', message: `No route for ${req.method} ${req.path}.`, request_id: getRequestId(req) });
}
