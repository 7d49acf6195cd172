/** Messages the hub pushes to a player's own connection. */
export const HUB_MESSAGES = [
  'profile_update',
  'reward_granted',
  'event_progress',
  'stats_update',
  'purchase_update',
  'notification',
  'catalog_update',
] as const;
export type HubMessageType = (typeof HUB_MESSAGES)[number];

/** One push to one user, published on the user's presence channel so it reaches the hub on any process. */
export interface HubEnvelope {
  type: HubMessageType;
  payload: unknown;
}

/** The presence channel carrying a user's hub pushes. */
export function hubChannel(userId: string): string {
  return `hub:user:${userId}`;
}

/** The presence channel carrying pushes to every connected user (e.g. `catalog_update`). */
export const HUB_BROADCAST_CHANNEL = 'hub:all';
