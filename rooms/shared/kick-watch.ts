import type { Presence } from '@colyseus/core';
import { kickChannel } from '../../domain/realtime/kick.ts';

/**
 * A room's subscriptions to the kick channels of the users it holds (one per user, however many connections), so a
 * kick published by any process reaches the room at once. `onKick` closes that user's connections.
 */
export class KickWatch {
  private readonly watched = new Map<string, { count: number; off: () => void }>();

  constructor(
    private readonly presence: Presence,
    private readonly onKick: (userId: string, reason: string | undefined) => void,
  ) {}

  /** Starts following a user's kick channel (counted: call `unwatch` once per `watch`). */
  async watch(userId: string): Promise<void> {
    const w = this.watched.get(userId);
    if (w) {
      w.count++;
      return;
    }
    const channel = kickChannel(userId);
    const fn = (data: unknown) => this.onKick(userId, reasonOf(data));
    this.watched.set(userId, { count: 1, off: () => this.presence.unsubscribe(channel, fn) });
    await this.presence.subscribe(channel, fn);
  }

  unwatch(userId: string): void {
    const w = this.watched.get(userId);
    if (!w || --w.count > 0) return;
    this.watched.delete(userId);
    w.off();
  }

  /** Drops every subscription (the room is disposing). */
  clear(): void {
    for (const w of this.watched.values()) w.off();
    this.watched.clear();
  }
}

/** The kick's reason as published by `KickPublisher` (`{reason}`; the presence may hand it over as text). */
function reasonOf(data: unknown): string | undefined {
  let d = data;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return undefined;
    }
  }
  return d && typeof d === 'object' && typeof (d as { reason?: unknown }).reason === 'string'
    ? (d as { reason: string }).reason
    : undefined;
}
