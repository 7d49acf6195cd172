/** The WebSocket close code of a connection ended because its player was signed out (banned, sessions revoked). */
export const SIGNED_OUT_CLOSE_CODE = 4401;

/** The presence channel on which every room holding a user's connections is told to close them. */
export function kickChannel(userId: string): string {
  return `user:kick:${userId}`;
}
