import { ServerError } from '@colyseus/core';
import { ErrorCode } from '@colyseus/shared-types';
import type { Principal } from '../../server/services/token.service.ts';

/** What rooms need to authenticate a joining client. */
export type VerifyToken = (token: string | undefined | null) => Promise<Principal>;

/**
 * A static `onAuth` that accepts only a valid, unrevoked access token (sent by the SDK as
 * `client.auth.token`); the verified principal becomes `client.auth`. `checkOptions` validates the join
 * options before a room is created (throw to refuse with a clear message).
 */
export function requireAccessToken(verify: VerifyToken, checkOptions?: (options: unknown) => void) {
  return async (token: string | undefined, options?: unknown): Promise<Principal> => {
    let principal: Principal;
    try {
      principal = await verify(token);
    } catch (err) {
      throw new ServerError(ErrorCode.AUTH_FAILED, err instanceof Error ? err.message : 'authentication failed');
    }
    try {
      checkOptions?.(options ?? {});
    } catch (err) {
      throw new ServerError(ErrorCode.MATCHMAKE_INVALID_CRITERIA, err instanceof Error ? err.message : 'invalid join options');
    }
    return principal;
  };
}
