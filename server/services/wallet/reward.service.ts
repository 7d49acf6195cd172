import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, type Movement } from '../../../domain/economy/currency.ts';
import { levelForXp } from '../../../domain/economy/progression.ts';
import type { RewardBundle } from '../../../domain/liveops/rewards.ts';
import { grantItem } from '../../db/repositories/inventory.repository.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import { claimGrantKey, findGrantResult, grantResult, saveGrantResult } from '../../db/repositories/reward-grant.repository.ts';
import { lockUser } from '../../db/repositories/user.repository.ts';
import type { Balances, WalletService } from './wallet.service.ts';

/** What a grant paid: the bundle, the balances after it, and the XP and level when it carried XP. */
export interface GrantResult {
  grantKey: string;
  rewardItems: RewardBundle;
  newBalances: Balances;
  xp?: number;
  level?: number;
}

/** A grant result as stored in `reward_grants.result` (rows written before keep this form, so it stays). */
interface StoredGrantResult {
  grant_key: string;
  reward_items: RewardBundle;
  new_balances: Balances;
  xp?: number;
  level?: number;
}

function toStored(r: GrantResult): StoredGrantResult {
  const stored: StoredGrantResult = { grant_key: r.grantKey, reward_items: r.rewardItems, new_balances: r.newBalances };
  if (r.xp !== undefined) Object.assign(stored, { xp: r.xp, level: r.level });
  return stored;
}

function fromStored(s: StoredGrantResult): GrantResult {
  const result: GrantResult = { grantKey: s.grant_key, rewardItems: s.reward_items, newBalances: s.new_balances };
  if (s.xp !== undefined) Object.assign(result, { xp: s.xp, level: s.level });
  return result;
}

/**
 * The single way rewards are paid (events, missions, streaks, admin grants). Each grant key pays once: the
 * unique key row is inserted in the caller's transaction, so a concurrent or repeated claim gets the stored
 * result with `applied: false`. Currency is credited through the ledger (reason `reward`).
 */
export class RewardService {
  constructor(private readonly wallet: WalletService) {}

  /** The stored result of a grant key that paid already (read without a lock), or null when it has not. */
  async paidResult(em: EntityManager, grantKey: string): Promise<GrantResult | null> {
    const text = await findGrantResult(em, grantKey);
    return text ? fromStored(JSON.parse(text) as StoredGrantResult) : null;
  }

  async grant(
    em: EntityManager,
    g: { userId: string; grantKey: string; source: string; sourceId?: string; bundle: RewardBundle },
  ): Promise<{ applied: boolean; result: GrantResult }> {
    const claimed = await claimGrantKey(em, {
      grantKey: g.grantKey,
      userId: g.userId,
      source: g.source,
      sourceId: g.sourceId ?? null,
      bundle: g.bundle as Record<string, unknown>,
    });
    if (!claimed) return { applied: false, result: fromStored(JSON.parse(await grantResult(em, g.grantKey)) as StoredGrantResult) };
    const movements: Movement[] = [];
    if (g.bundle.gold)
      movements.push(
        credit({
          userId: g.userId,
          currency: 'GOLD',
          amount: g.bundle.gold,
          reason: 'reward',
          refType: g.source,
          refId: g.sourceId,
          idempotencyKey: `grant:${g.grantKey}:GOLD`,
        }),
      );
    if (g.bundle.gem)
      movements.push(
        credit({
          userId: g.userId,
          currency: 'GEM',
          amount: g.bundle.gem,
          reason: 'reward',
          refType: g.source,
          refId: g.sourceId,
          idempotencyKey: `grant:${g.grantKey}:GEM`,
        }),
      );
    if (movements.length) await this.wallet.applyInTransaction(em, movements);
    for (const item of g.bundle.items ?? []) await grantItem(em, g.userId, item.item_id, item.quantity, 'reward');
    const result: GrantResult = { grantKey: g.grantKey, rewardItems: g.bundle, newBalances: await this.wallet.balances(em, g.userId) };
    if (g.bundle.xp) {
      const user = await lockUser(em, g.userId);
      user.xp += g.bundle.xp;
      user.level = levelForXp(user.xp);
      await em.flush();
      result.xp = user.xp;
      result.level = user.level;
    }
    await saveGrantResult(em, g.grantKey, JSON.stringify(toStored(result)));
    await writeOutbox(em, {
      type: 'reward_granted',
      userId: g.userId,
      payload: { grant_key: g.grantKey, source: g.source, source_id: g.sourceId ?? null, bundle: g.bundle },
    });
    return { applied: true, result };
  }
}
