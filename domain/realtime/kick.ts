/** The WebSocket close code of a connection ended because its player was signed out (banned, sessions revoked). */
export const SIGNED_OUT_CLOSE_CODE = 4401;

/**
 * The WebSocket close code of a game-room connection ended because its player started a cool-off or a
 * self-exclusion (docs/limits.md); also the code of a game-room join refused for that reason. The hub stays open.
 */
export const PLAY_BLOCKED_CLOSE_CODE = 4403;

/** Kick reasons that close game rooms only (responsible play), not the hub. */
export const isPlayBlockReason = (reason: unknown): boolean => typeof reason === 'string' && reason.startsWith('limits/');

/** The presence channel on which every room holding a user's connections is told to close them. */
export function kickChannel(userId: string): string {
  return `user:kick:${userId}`;
}
