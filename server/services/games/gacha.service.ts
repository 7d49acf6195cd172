import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../../domain/economy/currency.ts';
import type { Banner } from '../../../domain/games/gacha/banners.ts';
import { FLOATS_PER_PULL, parsePity, pullCost, pullGacha, type PullCount, type PullResult } from '../../../domain/games/gacha/rules.ts';
import { roundFloats } from '../../../domain/rng/fair.ts';
import { grantItem } from '../../db/repositories/inventory.repository.ts';
import { findPityState, lockPityState, ownedItemIds, savePityState } from '../../db/repositories/gacha-pity.repository.ts';
import type { GameService, RoundResult } from './game.service.ts';

/**
 * Gacha pulls: one round per pull request (1 or 10), in one transaction (which the group commit may share with other
 * rounds) with the pity row locked, the new items added to the inventory, duplicates converted to shards (inventory)
 * and GOLD (ledgered).
 */
export class GachaService {
  constructor(
    private readonly orm: MikroORM,
    private readonly games: Pick<GameService, 'playRound'>,
  ) {}

  async pull(p: { userId: string; sessionId: string; banner: Banner; count: PullCount }): Promise<RoundResult & { result: PullResult }> {
    const cost = pullCost(p.banner, p.count);
    let result!: PullResult;
    const round = await this.games.playRound({
      userId: p.userId,
      sessionId: p.sessionId,
      game: 'gacha',
      currency: cost.currency,
      bet: cost.amount,
      decide: async ({ em, roundId, draw }) => {
        const pity = await this.lockPity(em, p.userId, p.banner);
        const owned = await this.owned(em, p.userId, p.banner);
        result = pullGacha(p.banner, pity, roundFloats(draw, p.count * FLOATS_PER_PULL), p.count, owned);
        await savePityState(em, p.userId, p.banner.id, result.pityAfter, p.count);
        for (const itemId of result.newItems) await grantItem(em, p.userId, itemId, 1, 'gacha');
        if (result.converted.shards > 0) await grantItem(em, p.userId, p.banner.shardItemId, result.converted.shards, 'gacha');
        return {
          payout: 0,
          multiplier: 0,
          pulls: p.count,
          outcome: {
            banner_id: p.banner.id,
            count: p.count,
            pulls: result.pulls,
            pity_before: pity.sinceTop,
            pity_after: result.pityAfter.sinceTop,
            converted: result.converted,
          },
          fairness: { version: p.banner.version, floats_used: result.floatsUsed },
          extraMovements:
            result.converted.gold > 0
              ? [
                  credit({
                    userId: p.userId,
                    currency: 'GOLD',
                    amount: result.converted.gold,
                    reason: 'shard_convert',
                    refType: 'round',
                    refId: roundId,
                    idempotencyKey: `round:${roundId}:convert`,
                  }),
                ]
              : [],
        };
      },
    });
    return { ...round, result };
  }

  /** The player's pity counter on a banner (0 before the first pull). */
  async pity(userId: string, banner: Banner): Promise<number> {
    const state = await findPityState(this.orm.em.fork() as EntityManager, userId, banner.id);
    return parsePity(banner, state).sinceTop;
  }

  private async lockPity(em: EntityManager, userId: string, banner: Banner) {
    return parsePity(banner, await lockPityState(em, userId, banner.id, { sinceTop: 0 }));
  }

  private async owned(em: EntityManager, userId: string, banner: Banner): Promise<Set<string>> {
    const ids = Object.values(banner.items)
      .flat()
      .map((i) => i.id);
    return ownedItemIds(em, userId, ids);
  }
}
