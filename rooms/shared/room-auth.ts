import { ServerError } from '@colyseus/core';
import { ErrorCode } from '@colyseus/shared-types';
import type { Principal } from '../../server/services/token.service.ts';

/** What rooms need to authenticate a joining client. */
export type VerifyToken = (token: string | undefined | null) => Promise<Principal>;

/**
 * A static `onAuth` that accepts only a valid, unrevoked access token (sent by the SDK as
 * `client.auth.token`); the verified principal becomes `client.auth`.
 */
export function requireAccessToken(verify: VerifyToken) {
  return async (token: string | undefined): Promise<Principal> => {
    try {
      return await verify(token);
    } catch (err) {
      throw new ServerError(ErrorCode.AUTH_FAILED, err instanceof Error ? err.message : 'authentication failed');
    }
  };
}
