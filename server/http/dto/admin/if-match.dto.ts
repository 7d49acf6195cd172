import type { Request } from 'express';
import { z } from 'zod';
import { DomainError } from '../../../../domain/shared/errors.ts';

/**
 * The optional `If-Match` header of an admin edit: the `version` of the record the operator saw (without it the
 * edit applies to the current version). `what` names the record in the OpenAPI description.
 */
export function ifMatchHeader(what: string) {
  return z.object({ 'if-match': z.string().optional().describe(`the ${what} \`version\` the edit is based on`) });
}

/** The version in `If-Match` (`3`, `"3"` or `W/"3"`), or null without the header; 400 naming it when unreadable. */
export function ifMatchVersion(req: Request): number | null {
  const raw = req.get('if-match');
  if (raw === undefined) return null;
  const m = raw.trim().match(/^(?:W\/)?"?(\d{1,9})"?$/);
  if (!m) {
    throw new DomainError('request/invalid', 'Invalid request headers: headers.if-match must be a version number.', {
      issues: [{ path: 'headers.if-match', message: 'must be a version number', code: 'custom' }],
    });
  }
  return Number(m[1]);
}
