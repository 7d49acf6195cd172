import { ServerError } from '@colyseus/core';
import { ErrorCode } from '@colyseus/shared-types';
import type { Principal } from '../../server/services/auth/token.service.ts';

/** What rooms need to authenticate a joining client. */
export type VerifyToken = (token: string | undefined | null) => Promise<Principal>;

/**
 * A joined client's identity (`client.auth`). It deliberately has no `sessionId`: Colyseus takes
 * `authData.sessionId` as the room session id of the connection, and the auth session (the token's `sid`) is
 * shared by every tab and rejoin of one login, so each connection would get the same room session id and
 * overwrite the other's seat. Without it, every connection gets its own.
 */
export type RoomPrincipal = Omit<Principal, 'sessionId'> & { authSessionId: string };

/**
 * A static `onAuth` that accepts only a valid, unrevoked access token (sent by the SDK as
 * `client.auth.token`); the verified principal becomes `client.auth`. `checkOptions` validates the join
 * options before a room is created (throw to refuse with a clear message).
 */
export function requireAccessToken(verify: VerifyToken, checkOptions?: (options: unknown) => void) {
  return async (token: string | undefined, options?: unknown): Promise<RoomPrincipal> => {
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
    return roomPrincipal(principal);
  };
}

/** A verified principal as a room's `client.auth` (see `RoomPrincipal`). */
export function roomPrincipal(principal: Principal): RoomPrincipal {
  const { sessionId: authSessionId, ...identity } = principal;
  return { ...identity, authSessionId };
}
