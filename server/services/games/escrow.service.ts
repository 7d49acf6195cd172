import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { Game } from '../../../domain/games/game.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { GroupCommit, type GroupCommitOptions } from '../../infra/group-commit.ts';
import type { GameService, OnSettled } from './game.service.ts';
import {
  openStakes,
  refundStakes,
  settleStakes,
  type EscrowBatchDeps,
  type OpenStake,
  type Settlement,
  type SettleResult,
  type StakeRefund,
  type StakeToOpen,
} from './escrow-batch.ts';
import type { Balances, WalletService } from '../wallet/wallet.service.ts';
import type { LimitsService } from '../limits/limits.service.ts';
import { startBatch, type BatchMarks } from './round-marks.ts';

export type { OpenStake, Settlement, SettleResult } from './escrow-batch.ts';

/** How stake openings are grouped into transactions (see `GroupCommit`); `maxSize` 1 gives every stake its own. */
export type StakeBatching = Omit<GroupCommitOptions, 'onCommitted'>;

/** Stakes opened together by default: a crash room's betting window brings hundreds within a few milliseconds. */
const DEFAULT_BATCHING: StakeBatching = { windowMs: 2, maxSize: 256, maxInFlight: 2 };

/**
 * Stakes of shared rounds (crash bets, RPS duels): debited and recorded `open` when placed, then settled or
 * refunded exactly once (the status guard makes a second settlement a no-op). Openings of any rooms are grouped
 * into one transaction (group commit, `escrow-batch.ts`); a settlement or refund list is one transaction, written
 * set-based.
 */
export class EscrowService {
  private readonly batch: EscrowBatchDeps;
  private readonly opens: GroupCommit<StakeToOpen, { roundId: string; balances: Balances }>;

  constructor(
    orm: MikroORM,
    wallet: WalletService,
    games: Pick<GameService, 'owner'>,
    clock: Clock,
    /** counts rounds once they committed (Prometheus) */
    private readonly onSettled: OnSettled = () => undefined,
    batching: StakeBatching & Pick<GroupCommitOptions, 'onCommitted'> = DEFAULT_BATCHING,
    /** responsible-play limits, enforced in each stake batch's transaction */
    limits?: Pick<LimitsService, 'batchRead' | 'forBatch' | 'settlementWrites'>,
  ) {
    this.batch = { orm, wallet, clock, owner: games.owner, limits };
    this.opens = new GroupCommit(
      (stakes) => this.openBatch(stakes),
      async (stake) => {
        const [outcome] = await this.openBatch([stake]);
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
      },
      batching,
    );
  }

  /** Debits the stake and records the open round; resolves once committed, with its id and the balances after. */
  async open(s: OpenStake): Promise<{ roundId: string; balances: Balances }> {
    if (s.marks) s.marks.queued = performance.now();
    return this.opens.submit({ ...s, roundId: s.roundId ?? randomUUID() });
  }

  private openBatch(stakes: StakeToOpen[]) {
    const marks = startBatch();
    for (const s of stakes) if (s.marks) s.marks.batch = marks;
    return openStakes(this.batch, stakes, marks);
  }

  /** Settles stakes in one transaction; already-settled ones come back as null. `marks` gets its moments (`settleStakes`). */
  async settle(list: Settlement[], game?: Game, marks?: BatchMarks): Promise<SettleResult[]> {
    if (list.length === 0) return [];
    const out = await settleStakes(this.batch, list, marks);
    if (game) {
      let rounds = 0;
      let wagered = 0;
      let paid = 0;
      let staked = 0;
      out.forEach((r, i) => {
        if (r === null) return;
        rounds += 1;
        wagered += list[i].amount;
        paid += r.payout;
        if (list[i].amount > 0) staked += 1;
      });
      this.onSettled(game, rounds, { wagered, paid, staked });
    }
    return out;
  }

  /** Returns an open stake (a round that never ran). Null when it was already settled. */
  async refund(r: StakeRefund): Promise<Balances | null> {
    const [balances] = await refundStakes(this.batch, [r]);
    return balances;
  }

  /** Returns open stakes in one transaction; per stake the balances after, or null when it was already settled. */
  async refundMany(list: StakeRefund[]): Promise<Array<Balances | null>> {
    return list.length === 0 ? [] : refundStakes(this.batch, list);
  }

  /** Opens what is queued and waits for every batch in flight (before the database pool closes). */
  async drain(): Promise<void> {
    await this.opens.drain();
  }
}
