import { bannerDisclosure, findBanner, type Banner } from '../../domain/games/gacha/banners.ts';
import type { GachaService } from '../../server/services/games/gacha.service.ts';
import { GameRoom, type GameRoomDeps, type PlayerClient } from '../shared/game-room.ts';
import { requireAccessToken, type VerifyToken } from '../shared/room-auth.ts';
import { GachaJoinOptions, PullMessage, type GachaServerMessages } from './gacha.messages.ts';
import { GachaLegendaryState, GachaState } from './gacha.state.ts';

export interface GachaRoomDeps extends GameRoomDeps {
  verify: VerifyToken;
  gacha: Pick<GachaService, 'pull' | 'pity'>;
}

type GachaClient = PlayerClient<GachaServerMessages>;

/** One banner's room (rooms are filtered by banner). Pulls are provably fair rounds; legendary pulls are announced to the room. */
export function createGachaRoom(deps: GachaRoomDeps) {
  return class GachaRoom extends GameRoom<{ state: GachaState; client: GachaClient }> {
    static override onAuth = requireAccessToken(deps.verify, (options) =>
      findBanner(GachaJoinOptions.parse(options).banner ?? 'neon-standard'),
    );
    protected readonly game = 'gacha' as const;
    protected readonly deps = deps;
    override maxClients = 100;
    override state = new GachaState();
    private banner!: Banner;
    protected override get currency(): string {
      return this.banner.currency;
    }

    override onCreate(options: unknown) {
      this.banner = findBanner(GachaJoinOptions.parse(options ?? {}).banner ?? 'neon-standard');
      this.state.bannerId = this.banner.id;
      this.handle('pull', PullMessage, (client, msg) => this.pull(client, msg));
      this.rejectUnknownMessages();
    }

    protected async onPlayerJoin(client: GachaClient) {
      this.state.players = this.clients.length;
      const b = this.banner;
      client.send('banner', { ...bannerDisclosure(b), pity: await deps.gacha.pity(client.auth.userId, b) });
    }

    protected override onPlayerLeave() {
      this.state.players = Math.max(0, this.clients.length - 1);
    }

    private async pull(client: GachaClient, msg: PullMessage) {
      const seat = this.seatOf(client);
      const r = await deps.gacha.pull({ userId: seat.userId, sessionId: seat.sessionId, banner: this.banner, count: msg.count });
      client.send('pull_result', {
        ref: msg.ref,
        round_id: r.roundId,
        cost: r.bet,
        currency: this.banner.currency,
        pulls: r.result.pulls,
        pity: r.result.pityAfter.sinceTop,
        converted: r.result.converted,
        fairness: r.fairness,
        balances: r.balances,
      });
      for (const p of r.result.pulls.filter((x) => x.rarity === 'legendary')) {
        this.state.legendaries.push(new GachaLegendaryState({ username: seat.username, itemId: p.itemId }));
        while (this.state.legendaries.length > 10) this.state.legendaries.shift();
        this.broadcast('legendary', { username: seat.username, item_id: p.itemId, banner_id: this.banner.id });
      }
    }
  };
}
