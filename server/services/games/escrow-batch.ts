import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit, type Currency, type Movement } from '../../../domain/economy/currency.ts';
import type { Game } from '../../../domain/games/game.ts';
import { payoutAt } from '../../../domain/games/crash/exposure.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { openRoundsInsert, refundOpenRounds, settleOpenRounds } from '../../db/repositories/game-round.repository.ts';
import { sessionTotalsWrite, sumSessionTotals } from '../../db/repositories/game-session.repository.ts';
import { outboxWrites } from '../../db/repositories/outbox.repository.ts';
import { executeTogether, type WritePart } from '../../db/sql.ts';
import type { Outcome } from '../../infra/group-commit.ts';
import type { Balances, LockedWallets, WalletService } from '../wallet/wallet.service.ts';
import type { LimitsService } from '../limits/limits.service.ts';
import type { BatchMarks, RoundMarks } from './round-marks.ts';

export interface OpenStake {
  /** the round's id, chosen by the caller so it can refund a stake whose commit was cut off (outcome unknown) */
  roundId?: string;
  userId: string;
  sessionId: string;
  game: Game;
  /** the shared round (crash round, RPS duel) the stake belongs to */
  groupId: string;
  amount: number;
  currency?: Currency;
  fairness: Record<string, unknown>;
  outcome?: Record<string, unknown>;
  /** the stake's way through the server (the room sets `received`; the escrow the rest) */
  marks?: RoundMarks;
}

export interface Settlement {
  roundId: string;
  userId: string;
  /** null for a round without a session (then no session totals change) */
  sessionId: string | null;
  /** stake (minor units) */
  amount: number;
  /** hundredths of the stake paid back (0 = lost); the payout is floor(amount × multiplier / 100) unless `payout` is given */
  multiplier: number;
  payout?: number;
  outcome: Record<string, unknown>;
  /** merged into the round's fairness record (e.g. the RPS house pick's seed and nonce) */
  fairness?: Record<string, unknown>;
  seedId?: string;
  currency?: Currency;
}

export type SettleResult = { roundId: string; payout: number; balances: Balances } | null;

export interface EscrowBatchDeps {
  orm: MikroORM;
  wallet: WalletService;
  clock: Clock;
  /** the process recorded as the open rounds' owner */
  owner: string;
  /** responsible-play limits: a stake counts in full against them when placed, a win or refund gives back */
  limits?: Pick<LimitsService, 'batchRead' | 'forBatch' | 'settlementWrites'>;
}

/** A stake to open, with its round id already chosen. */
export type StakeToOpen = OpenStake & { roundId: string };

/** A refund of an open stake (a round that never ran). */
export interface StakeRefund {
  roundId: string;
  userId: string;
  sessionId: string | null;
  amount: number;
  currency?: Currency;
}

/**
 * Opens many stakes in one transaction: locks the players' wallets (user order) and reads their responsible-play
 * limits, stages each bet in memory — a stake the wallet cannot pay, or that would pass a loss or wager limit (an open
 * stake counts in full as a potential loss), is left out with its own error, the others go on — then writes the
 * wallets, the ledger, the open rounds, the session totals and the limits' running totals in one statement, and commits. Throws when nothing committed
 * (the caller may retry each stake alone); if COMMIT itself fails the outcome is unknown, so every stake gets
 * that error.
 */
export async function openStakes(
  d: EscrowBatchDeps,
  stakes: StakeToOpen[],
  marks?: BatchMarks,
): Promise<Array<Outcome<{ roundId: string; balances: Balances }>>> {
  const outcomes = await inTransaction(d, stakes.length, async (em) => {
    const users = stakes.map((s) => s.userId);
    const now = d.clock.now();
    const [walletRows, limitRows] = await executeTogether(em, [
      d.wallet.walletLock(users),
      ...(d.limits ? [d.limits.batchRead(users, now)] : []),
    ]);
    const wallets = await d.wallet.lockWallets(em, users, walletRows);
    const limits = d.limits ? await d.limits.forBatch(em, limitRows, now) : undefined;
    if (marks) marks.locked = performance.now();
    const outcomes = stakes.map((s): Outcome<{ roundId: string; balances: Balances }> => {
      try {
        limits?.check(s.userId, s.currency ?? 'GOLD', s.amount);
        wallets.stage([
          debit({
            userId: s.userId,
            currency: s.currency ?? 'GOLD',
            amount: s.amount,
            reason: 'bet',
            refType: 'round',
            refId: s.roundId,
            idempotencyKey: `round:${s.roundId}:bet`,
          }),
        ]);
        limits?.add(s.userId, s.currency ?? 'GOLD', s.amount, s.amount);
        return { ok: true, value: { roundId: s.roundId, balances: wallets.balancesOf(s.userId) } };
      } catch (error) {
        return { ok: false, error };
      }
    });
    const opened = stakes.filter((_, i) => outcomes[i].ok);
    if (opened.length === 0) return outcomes;
    const rows = opened.map((s) => ({
      id: s.roundId,
      game: s.game,
      userId: s.userId,
      sessionId: s.sessionId,
      groupId: s.groupId,
      currency: s.currency ?? 'GOLD',
      bet: s.amount,
      outcome: s.outcome ?? {},
      fairness: s.fairness,
    }));
    await writeLocked(d, em, wallets, [
      openRoundsInsert(em, rows, d.owner, now),
      sessionTotalsWrite(sumSessionTotals(opened.map((s) => ({ sessionId: s.sessionId, rounds: 1, wagered: s.amount })))),
      ...(limits?.writes() ?? []),
    ]);
    if (marks) marks.written = performance.now();
    return outcomes;
  });
  if (marks) marks.committed = performance.now();
  return outcomes;
}

/**
 * Settles many stakes in one transaction: one UPDATE claims the rounds still open (a settled one comes back null),
 * the claimed players' wallets are locked (user order), their wins staged, and the wallets, ledger, outbox events
 * and session totals are written in one statement. Results in the order given. `marks`, when given, gets the moments
 * the rounds were claimed and the wallets locked, the write answered, and the COMMIT answered.
 */
export async function settleStakes(d: EscrowBatchDeps, list: Settlement[], marks?: BatchMarks): Promise<SettleResult[]> {
  const [outcome] = await inTransaction(d, 1, async (em) => {
    const now = d.clock.now();
    const first = new Map<string, number>();
    list.forEach((s, i) => (first.has(s.roundId) ? undefined : first.set(s.roundId, i)));
    const unique = list.filter((s, i) => first.get(s.roundId) === i);
    const payouts = new Map(unique.map((s) => [s.roundId, s.payout ?? payoutAt(s.amount, s.multiplier)]));
    const claimed = await settleOpenRounds(
      em,
      unique.map((s) => ({
        id: s.roundId,
        payout: payouts.get(s.roundId)!,
        multiplier: s.multiplier,
        outcome: { ...s.outcome, payout: payouts.get(s.roundId)! },
        fairness: s.fairness ?? {},
        seedId: s.seedId ?? null,
      })),
      now,
    );
    const settled = unique.filter((s) => claimed.has(s.roundId));
    if (settled.length === 0) return [{ ok: true as const, value: list.map((): SettleResult => null) }];
    const wallets = await d.wallet.lockWallets(
      em,
      settled.map((s) => s.userId),
    );
    if (marks) marks.locked = performance.now();
    const wins = settled.filter((s) => payouts.get(s.roundId)! > 0);
    const balances = new Map<string, Balances>();
    for (const s of settled) {
      const payout = payouts.get(s.roundId)!;
      if (payout > 0) wallets.stage([winOf(s, payout)]);
      balances.set(s.roundId, wallets.balancesOf(s.userId));
    }
    await writeLocked(d, em, wallets, [
      ...outboxWrites(
        settled.map((s) => ({
          type: 'round_settled' as const,
          userId: s.userId,
          payload: { round_id: s.roundId, bet: s.amount, payout: payouts.get(s.roundId)!, multiplier: s.multiplier },
        })),
      ),
      sessionTotalsWrite(
        sumSessionTotals(
          wins.map((s) => ({ sessionId: s.sessionId, won: payouts.get(s.roundId)!, wins: 1, biggestMultiplier: s.multiplier })),
        ),
      ),
      // a win gives back loss-limit room in the period it is settled in
      ...(d.limits?.settlementWrites(
        wins.map((s) => ({ userId: s.userId, currency: s.currency ?? 'GOLD', wagered: 0, loss: -payouts.get(s.roundId)! })),
        now,
      ) ?? []),
    ]);
    if (marks) marks.written = performance.now();
    const results = list.map((s, i): SettleResult => {
      const b = first.get(s.roundId) === i ? balances.get(s.roundId) : undefined;
      return b ? { roundId: s.roundId, payout: payouts.get(s.roundId)!, balances: b } : null;
    });
    return [{ ok: true as const, value: results }];
  });
  if (marks) marks.committed = performance.now();
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Refunds many open stakes in one transaction; per refund the balances after it, or null when it was no longer open. */
export async function refundStakes(d: EscrowBatchDeps, list: StakeRefund[]): Promise<Array<Balances | null>> {
  const [outcome] = await inTransaction(d, 1, async (em) => {
    const refunded = await refundOpenRounds(em, [...new Set(list.map((r) => r.roundId))], d.clock.now());
    const done = list.filter((r, i) => refunded.has(r.roundId) && list.findIndex((x) => x.roundId === r.roundId) === i);
    if (done.length === 0) return [{ ok: true as const, value: list.map(() => null) }];
    const wallets = await d.wallet.lockWallets(
      em,
      done.map((r) => r.userId),
    );
    const balances = new Map<string, Balances>();
    for (const r of done) {
      wallets.stage([
        credit({
          userId: r.userId,
          currency: r.currency ?? 'GOLD',
          amount: r.amount,
          reason: 'refund',
          refType: 'round',
          refId: r.roundId,
          idempotencyKey: `round:${r.roundId}:refund`,
        }),
      ]);
      balances.set(r.roundId, wallets.balancesOf(r.userId));
    }
    await writeLocked(d, em, wallets, [
      sessionTotalsWrite(sumSessionTotals(done.map((r) => ({ sessionId: r.sessionId, rounds: -1, wagered: -r.amount })))),
      // a refunded stake was never played: it leaves the wager and loss totals of the period it is refunded in
      ...(d.limits?.settlementWrites(
        done.map((r) => ({ userId: r.userId, currency: r.currency ?? 'GOLD', wagered: -r.amount, loss: -r.amount })),
        d.clock.now(),
      ) ?? []),
    ]);
    return [{ ok: true as const, value: list.map((r) => (done.includes(r) ? balances.get(r.roundId)! : null)) }];
  });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

function winOf(s: Settlement, payout: number): Movement {
  return credit({
    userId: s.userId,
    currency: s.currency ?? 'GOLD',
    amount: payout,
    reason: 'win',
    refType: 'round',
    refId: s.roundId,
    idempotencyKey: `round:${s.roundId}:win`,
  });
}

/** Writes the staged wallet movements (balances and ledger) and the other parts in one statement, then checks the balances. */
async function writeLocked(d: EscrowBatchDeps, em: EntityManager, wallets: LockedWallets, others: WritePart[]): Promise<void> {
  const walletWrites = d.wallet.lockedWrites(em, wallets);
  const [updated] = await executeTogether(em, [...walletWrites, ...others]);
  if (walletWrites.length > 0) d.wallet.checkLocked(wallets, updated);
}

/**
 * Runs `fn` in a transaction. If it throws before COMMIT nothing was written: the error is thrown. If COMMIT itself
 * fails, the outcome is unknown: each of the `n` requests gets that error (and must not be retried).
 */
async function inTransaction<R>(d: EscrowBatchDeps, n: number, fn: (em: EntityManager) => Promise<Array<Outcome<R>>>) {
  let written = false;
  try {
    return await d.orm.em.fork().transactional(async (tx) => {
      const out = await fn(tx as EntityManager);
      written = true;
      return out;
    });
  } catch (err) {
    if (written) return Array.from({ length: n }, (): Outcome<R> => ({ ok: false, error: err }));
    throw err;
  }
}
