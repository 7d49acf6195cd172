import type { Client } from '@colyseus/core';
import type { ErrorMessage } from './common.messages.ts';
import type { RoomPrincipal } from './room-auth.ts';

/**
 * A joined player's connection: `auth` is the verified principal, and `send` accepts only the messages `M` lists
 * (a room's `PayloadsOf<…ServerMessages>`), each with its payload type, so a wrong payload is a compile error.
 */
export type PlayerClient<M extends { error: ErrorMessage } = { error: ErrorMessage }> = Client<{ auth: RoomPrincipal; messages: M }> & {
  auth: RoomPrincipal;
};
