import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit, type Currency, type Movement } from '../../../domain/economy/currency.ts';
import type { Game } from '../../../domain/games/game.ts';
import { toMultiplierHundredths } from '../../../domain/games/payout.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { InsufficientFundsError } from '../../../domain/shared/errors.ts';
import { settledRoundsInsert, type SettledRoundRow } from '../../db/repositories/game-round.repository.ts';
import { sessionTotalsWrite, sumSessionTotals } from '../../db/repositories/game-session.repository.ts';
import { outboxWrites } from '../../db/repositories/outbox.repository.ts';
import { executeTogether } from '../../db/sql.ts';
import type { Outcome } from '../../infra/group-commit.ts';
import type { FairnessService, LockedSeeds, SeedDraw } from '../fairness/fairness.service.ts';
import type { Balances, LockedWallets, WalletService } from '../wallet/wallet.service.ts';
import type { BatchLimits, LimitsService } from '../limits/limits.service.ts';
import type { BatchMarks, RoundMarks } from './round-marks.ts';

/** What a game's rules decided for one round. */
export interface RoundDecision {
  payout: number;
  /** hundredths (payout / bet), for the biggest-multiplier stat */
  multiplier: number;
  outcome: Record<string, unknown>;
  /** extra fairness data (algorithm version, floats used, …) */
  fairness?: Record<string, unknown>;
  /** gacha pulls this round made (for the `pulls` metric) */
  pulls?: number;
  /** other balance changes of the round (e.g. gacha duplicates converted to GOLD), ledgered in the same transaction */
  extraMovements?: Movement[];
  /** further rounds played in the same transaction (slot free spins): bet 0, their own nonce */
  followUps?: Array<{ payout: number; outcome: Record<string, unknown>; draw: SeedDraw; fairness?: Record<string, unknown> }>;
}

export interface RoundRequest {
  userId: string;
  sessionId: string;
  game: Game;
  currency?: Currency;
  bet: number;
  /**
   * Decides the outcome from the drawn seed, inside the transaction. It may read and write rows through `em`
   * (e.g. gacha pity); a round that does so cannot be dropped from its batch alone, so its failure rolls the
   * batch back and each round is retried in its own transaction.
   */
  decide: (ctx: {
    em: EntityManager;
    roundId: string;
    draw: SeedDraw;
    nextDraw: () => Promise<SeedDraw>;
  }) => Promise<RoundDecision> | RoundDecision;
  /** the round's moments, for the phase timings (set by the room that received it) */
  marks?: RoundMarks;
}

export interface RoundResult {
  roundId: string;
  bet: number;
  payout: number;
  outcome: Record<string, unknown>;
  followUps: Array<{ roundId: string; payout: number; outcome: Record<string, unknown>; nonce: number }>;
  fairness: { server_seed_hash: string; client_seed: string; nonce: number };
  balances: Balances;
  /** the algorithm version the round was decided with (its fairness record's `version`), when it has one */
  algorithm?: string;
}

export interface RoundBatchDeps {
  orm: MikroORM;
  wallet: WalletService;
  fairness: FairnessService;
  clock: Clock;
  /** the process recorded as the rounds' owner */
  owner: string;
  /** responsible-play limits, checked and counted in the batch's transaction */
  limits?: Pick<LimitsService, 'batchRead' | 'forBatch'>;
}

/** A round that passed every check in memory, ready to be written. */
interface PlannedRound {
  req: RoundRequest;
  currency: Currency;
  roundId: string;
  draw: SeedDraw;
  decision: RoundDecision;
  followUps: Array<NonNullable<RoundDecision['followUps']>[number] & { roundId: string }>;
  totalPayout: number;
  /** the player's balances right after this round (later rounds of the batch continue from them) */
  balances: Balances;
}

/**
 * Settles instant rounds of any players and rooms in one transaction, in the order given:
 * 1. lock the active seeds and the wallets of every player of the batch (in user order: no deadlocks), and read
 *    their responsible-play limits in the same statement (their running totals, for the few who have a limit, in one
 *    more statement under the locks);
 * 2. per round, in memory: check the bet (funds, limits), take nonces, decide, stage the bet and wins on the locked
 *    balances and count them against the limits —
 *    a round refused here (not enough funds, a limit, a rule error) is left out with its own error and its nonces are
 *    given back, so the next round of the same player continues from the previous one;
 * 3. write everything in one statement (a CTE per table): wallets, ledger, nonces, rounds, outbox, session totals;
 * 4. commit. Only then do the results exist for the caller.
 *
 * Returns one outcome per request. Throws when nothing committed (a statement failed, or a round that wrote
 * rows in `decide` failed): the caller may then retry the rounds. If COMMIT itself fails the outcome is unknown,
 * so every round gets that error and must not be retried.
 */
export async function settleRoundBatch(d: RoundBatchDeps, reqs: RoundRequest[], marks?: BatchMarks): Promise<Array<Outcome<RoundResult>>> {
  let written = false;
  try {
    const outcomes = await d.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const users = reqs.map((r) => r.userId);
      // both locks in one round trip: seeds first, then wallets, each in user order (as every batch takes them)
      const now = d.clock.now();
      const [seedRows, walletRows, limitRows] = await executeTogether(em, [
        d.fairness.seedLock(em, users),
        d.wallet.walletLock(users),
        ...(d.limits ? [d.limits.batchRead(users, now)] : []),
      ]);
      const seeds = await d.fairness.lockSeeds(em, users, seedRows);
      const wallets = await d.wallet.lockWallets(em, users, walletRows);
      const limits = d.limits ? await d.limits.forBatch(em, limitRows, now) : undefined;
      if (marks) marks.locked = performance.now();
      const planned: Array<Outcome<PlannedRound>> = [];
      for (const req of reqs) planned.push(await planRound(em, seeds, wallets, limits, req));
      const rounds = planned.flatMap((p) => (p.ok ? [p.value] : []));
      if (rounds.length > 0) {
        const walletWrites = d.wallet.lockedWrites(em, wallets);
        const [updated] = await executeTogether(em, [
          ...walletWrites, // first: its RETURNING rows are checked below
          ...d.fairness.nonceWrites(seeds),
          settledRoundsInsert(em, roundRows(rounds), d.owner, d.clock.now()),
          ...outboxWrites(
            rounds.map((r) => ({
              type: 'round_settled' as const,
              userId: r.req.userId,
              payload: { round_id: r.roundId, game: r.req.game, bet: r.req.bet, payout: r.totalPayout, currency: r.currency },
            })),
          ),
          sessionTotalsWrite(sessionTotals(rounds)),
          ...(limits?.writes() ?? []),
        ]);
        if (walletWrites.length > 0) d.wallet.checkLocked(wallets, updated);
      }
      written = true;
      if (marks) marks.written = performance.now();
      return planned.map((p) => (p.ok ? { ok: true as const, value: toResult(p.value) } : p));
    });
    if (marks) marks.committed = performance.now();
    return outcomes;
  } catch (err) {
    if (written) return reqs.map(() => ({ ok: false as const, error: err }));
    throw err;
  }
}

async function planRound(
  em: EntityManager,
  seeds: LockedSeeds,
  wallets: LockedWallets,
  limits: BatchLimits | undefined,
  req: RoundRequest,
): Promise<Outcome<PlannedRound>> {
  const nonce = seeds.position(req.userId);
  // set when `decide` reaches for the transaction: it may have written rows that only a rollback can undo
  let usedDb = false;
  try {
    const currency = req.currency ?? 'GOLD';
    // refused before deciding, so a round that cannot be paid does no work (staging checks every movement again)
    const balance = wallets.balance(req.userId, currency);
    if (req.bet > balance) throw new InsufficientFundsError(currency, balance, req.bet);
    // a whole stake may be lost: it must fit what is left of the player's loss and wager limits
    limits?.check(req.userId, currency, req.bet);
    const draw = seeds.draw(req.userId);
    const roundId = randomUUID();
    const decision = await req.decide({
      get em() {
        usedDb = true;
        return em;
      },
      roundId,
      draw,
      nextDraw: async () => seeds.draw(req.userId),
    });
    const followUps = (decision.followUps ?? []).map((f) => ({ ...f, roundId: randomUUID() }));
    wallets.stage(roundMovements(req, currency, roundId, decision, followUps));
    const totalPayout = decision.payout + followUps.reduce((s, f) => s + f.payout, 0);
    limits?.add(req.userId, currency, req.bet, req.bet - totalPayout);
    return {
      ok: true,
      value: { req, currency, roundId, draw, decision, followUps, totalPayout, balances: wallets.balancesOf(req.userId) },
    };
  } catch (error) {
    // rows written by `decide` cannot be taken back for this round alone: the whole batch rolls back
    if (usedDb) throw error;
    seeds.rewind(req.userId, nonce);
    return { ok: false, error };
  }
}

/** A round's balance changes: the bet, its win, the free spins' wins, and any extra movements (ledgered against the rounds). */
function roundMovements(
  req: RoundRequest,
  currency: Currency,
  roundId: string,
  decision: RoundDecision,
  followUps: Array<{ roundId: string; payout: number }>,
): Movement[] {
  const movements: Movement[] = [];
  const ref = (id: string) => ({ userId: req.userId, currency, refType: 'round', refId: id });
  if (req.bet > 0) movements.push(debit({ ...ref(roundId), amount: req.bet, reason: 'bet', idempotencyKey: `round:${roundId}:bet` }));
  if (decision.payout > 0)
    movements.push(credit({ ...ref(roundId), amount: decision.payout, reason: 'win', idempotencyKey: `round:${roundId}:win` }));
  for (const f of followUps) {
    if (f.payout > 0)
      movements.push(credit({ ...ref(f.roundId), amount: f.payout, reason: 'win', idempotencyKey: `round:${f.roundId}:win` }));
  }
  movements.push(...(decision.extraMovements ?? []));
  return movements;
}

/** The rounds' records (free spins included) with their fairness data. */
function roundRows(rounds: PlannedRound[]): SettledRoundRow[] {
  return rounds.flatMap((r) => {
    const row = (
      id: string,
      bet: number,
      payout: number,
      multiplier: number,
      outcome: Record<string, unknown>,
      draw: SeedDraw,
      fairness?: Record<string, unknown>,
    ): SettledRoundRow => ({
      id,
      game: r.req.game,
      userId: r.req.userId,
      sessionId: r.req.sessionId,
      currency: r.currency,
      bet,
      payout,
      multiplier,
      outcome,
      fairness: { server_seed_hash: draw.serverSeedHash, client_seed: draw.clientSeed, nonce: draw.nonce, ...fairness },
      seedId: draw.seedId,
    });
    return [
      row(r.roundId, r.req.bet, r.decision.payout, r.decision.multiplier, r.decision.outcome, r.draw, r.decision.fairness),
      ...r.followUps.map((f) => row(f.roundId, 0, f.payout, 0, f.outcome, f.draw, f.fairness)),
    ];
  });
}

/** The rounds' figures per session (a session may have several rounds in a batch). */
function sessionTotals(rounds: PlannedRound[]) {
  return sumSessionTotals(
    rounds.map((r) => ({
      sessionId: r.req.sessionId,
      rounds: 1 + r.followUps.length,
      wagered: r.req.bet,
      won: r.totalPayout,
      wins: r.totalPayout > 0 ? 1 : 0,
      pulls: r.decision.pulls ?? 0,
      biggestMultiplier: toMultiplierHundredths(r.totalPayout, r.req.bet),
    })),
  );
}

function toResult(r: PlannedRound): RoundResult {
  return {
    roundId: r.roundId,
    bet: r.req.bet,
    payout: r.decision.payout,
    outcome: r.decision.outcome,
    followUps: r.followUps.map((f) => ({ roundId: f.roundId, payout: f.payout, outcome: f.outcome, nonce: f.draw.nonce })),
    fairness: { server_seed_hash: r.draw.serverSeedHash, client_seed: r.draw.clientSeed, nonce: r.draw.nonce },
    balances: r.balances,
    algorithm: typeof r.decision.fairness?.version === 'string' ? r.decision.fairness.version : undefined,
  };
}
