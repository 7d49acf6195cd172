import { kickChannel } from '../../domain/realtime/kick.ts';
import type { RedisGuard } from '../lib/redis-guard.ts';

/**
 * Tells every room on every process to close a user's connections: a Redis PUBLISH on the user's kick channel, in the
 * wire format of Colyseus' RedisPresence (rooms subscribe to it for the users they hold, see rooms/shared/kick-watch.ts).
 */
export class KickPublisher {
  constructor(private readonly redis: RedisGuard) {}

  async kick(userId: string, reason: string): Promise<void> {
    await this.redis.required('room.kick', (r) => r.publish(kickChannel(userId), JSON.stringify({ reason })));
  }
}
