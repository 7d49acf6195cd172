import { HUB_BROADCAST_CHANNEL, hubChannel, type HubMessageType } from '../../domain/realtime/hub.ts';
import type { RedisGuard } from '../lib/redis-guard.ts';

/**
 * Pushes a message to a user's hub connection, wherever it is: a Redis PUBLISH on the user's channel, the same
 * wire format Colyseus' RedisPresence uses, so the hub room on any process forwards it. Best effort: a push that
 * fails or stalls is dropped (the client refetches on its next screen), never fails or holds the use case that
 * committed.
 */
export class HubPublisher {
  constructor(private readonly redis: RedisGuard) {}

  async push(userId: string, type: HubMessageType, payload: unknown): Promise<void> {
    await this.redis.orElse(
      'hub.push',
      (r) => r.publish(hubChannel(userId), JSON.stringify({ type, payload })),
      () => 0,
      'push dropped',
    );
  }

  /** Pushes a message to every connected user (each hub room relays it to its clients), best effort like `push`. */
  async broadcast(type: HubMessageType, payload: unknown): Promise<void> {
    await this.redis.orElse(
      'hub.broadcast',
      (r) => r.publish(HUB_BROADCAST_CHANNEL, JSON.stringify({ type, payload })),
      () => 0,
      'broadcast dropped',
    );
  }
}
