import type { Client, Presence } from '@colyseus/core';
import { isPlayBlockReason, SIGNED_OUT_CLOSE_CODE } from '../../domain/realtime/kick.ts';
import { HUB_BROADCAST_CHANNEL, hubChannel, type HubEnvelope } from '../../domain/realtime/hub.ts';
import type { Logger } from '../../server/lib/logger.ts';
import { BaseRoom, type RoomProbe } from '../shared/base-room.ts';
import { KickWatch } from '../shared/kick-watch.ts';
import { requireAccessToken, type RoomPrincipal, type VerifyToken } from '../shared/room-auth.ts';
import type { HubServerMessages } from './hub.messages.ts';
import { HubState } from './hub.state.ts';

export interface HubRoomDeps {
  verify: VerifyToken;
  logger: Logger;
  probe?: RoomProbe;
}

type HubClient = Client<{ auth: RoomPrincipal; messages: HubServerMessages }> & { auth: RoomPrincipal };

/**
 * The realtime hub: every logged-in client joins it. Each client is subscribed to its user's presence
 * channel, so pushes published by any process reach that user's connection only.
 */
export function createHubRoom(deps: HubRoomDeps) {
  return class HubRoom extends BaseRoom<{ state: typeof HubState.prototype; client: HubClient }> {
    static override onAuth = requireAccessToken(deps.verify);
    protected readonly logger = deps.logger;
    protected readonly probe = deps.probe;
    override maxClients = 1000;
    override state = new HubState();
    private readonly unsubscribe = new Map<string, () => void>();
    private kicks?: KickWatch;
    // pushes to everyone (published by any process) reach every hub room, which relays them to its clients
    private readonly relayBroadcast = (env: HubEnvelope) => (this as BaseRoom).broadcast(env.type, env.payload);

    override async onCreate() {
      this.onMessage('ping', (client) => client.send('pong', { at: Date.now() }));
      this.rejectUnknownMessages();
      await this.presence.subscribe(HUB_BROADCAST_CHANNEL, this.relayBroadcast);
    }

    override async onJoin(client: HubClient) {
      const channel = hubChannel(client.auth.userId);
      // a push is relayed as the service published it (its shape: HubServerMessages)
      const forward = (env: HubEnvelope) => (client as Client).send(env.type, env.payload);
      await this.presence.subscribe(channel, forward);
      this.unsubscribe.set(client.sessionId, () => (this.presence as Presence).unsubscribe(channel, forward));
      // a cool-off or self-exclusion closes the game rooms only: the lobby, chat and inbox stay reachable
      this.kicks ??= new KickWatch(this.presence, (userId, reason) => (isPlayBlockReason(reason) ? undefined : this.signOut(userId)));
      await this.kicks.watch(client.auth.userId);
      this.state.online = this.clients.length;
      client.send('welcome', { user_id: client.auth.userId, username: client.auth.username });
    }

    override onLeave(client: HubClient) {
      if (this.unsubscribe.has(client.sessionId)) this.kicks?.unwatch(client.auth.userId);
      this.unsubscribe.get(client.sessionId)?.();
      this.unsubscribe.delete(client.sessionId);
      this.state.online = this.clients.length;
    }

    override onDispose() {
      (this.presence as Presence).unsubscribe(HUB_BROADCAST_CHANNEL, this.relayBroadcast);
      for (const off of this.unsubscribe.values()) off();
      this.unsubscribe.clear();
      this.kicks?.clear();
    }

    /** Closes a signed-out user's hub connections (a kick published on their presence channel). */
    private signOut(userId: string) {
      for (const c of this.clients) if (c.auth?.userId === userId) c.leave(SIGNED_OUT_CLOSE_CODE);
    }
  };
}
