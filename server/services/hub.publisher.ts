import type { Redis } from 'ioredis';
import { hubChannel, type HubMessageType } from '../../domain/realtime/hub.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * Pushes a message to a user's hub connection, wherever it is: a Redis PUBLISH on the user's channel, the same
 * wire format Colyseus' RedisPresence uses, so the hub room on any process forwards it. Best effort: a push that
 * fails is logged, never fails the use case that committed.
 */
export class HubPublisher {
  constructor(private readonly redis: Redis, private readonly logger: Logger) {}

  async push(userId: string, type: HubMessageType, payload: unknown): Promise<void> {
    try {
      await this.redis.publish(hubChannel(userId), JSON.stringify({ type, payload }));
    } catch (err) {
      this.logger.warn({ err, userId, type }, 'hub push failed');
    }
  }
}
