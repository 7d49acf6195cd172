import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  assertStakeWithinLimits,
  BLOCK_DURATIONS,
  changeLimit,
  effectiveAmount,
  LIMIT_PERIODS,
  limitReached,
  pendingChange,
  periodEnd,
  periodStarts,
  playBlocked,
  zeroTotals,
  type BlockKind,
  type LimitKind,
  type LimitPeriod,
  type LimitRow,
  type PeriodTotals,
} from '../../../domain/limits/limits.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { lockWalletRows } from '../../db/repositories/wallet.repository.ts';
import {
  addHistory,
  batchLimitsRead,
  historyOf,
  limitRowOf,
  limitsOf,
  protectionOf,
  readUsage,
  saveLimit,
  saveProtection,
  seedUsage,
  spentSince,
  usageWrite,
  type HistoryEntry,
  type PeriodStarts,
  type UsageChange,
} from '../../db/repositories/play-limits.repository.ts';
import type { WritePart } from '../../db/sql.ts';
import { once, requestHash, type Idempotent } from '../shop/idempotency.ts';

export type { HistoryEntry } from '../../db/repositories/play-limits.repository.ts';

/** A player's limits, usage and protection as the player API and the admin drawer show them. */
export interface LimitsView {
  limits: Array<{
    kind: LimitKind;
    currency: string;
    period: LimitPeriod;
    /** in force now (null once a removal applied; such a limit is no longer listed) */
    amount: number | null;
    pending: { amount: number | null; effective_at: string } | null;
    used: number;
    remaining: number | null;
    resets_at: string;
  }>;
  usage: Record<string, Record<LimitPeriod, { wagered: number; loss: number }>>;
  block: { kind: BlockKind; until: string } | null;
  reality_check_minutes: number;
  reality_check_custom: boolean;
}

export interface LimitChange {
  kind: LimitKind;
  currency: string;
  period: LimitPeriod;
  /** null removes the limit (after the raise delay) */
  amount: number | null;
}

/**
 * The limits of one batch's players (`LimitsService.forBatch`): checks stakes in memory against the totals read under
 * the wallet locks, adds what the batch stakes and pays to them, and writes the totals back in the batch's statement.
 * Players without a limit are not in it and cost nothing further.
 */
export class BatchLimits {
  private readonly changes: UsageChange[] = [];

  constructor(
    private readonly now: Date,
    private readonly starts: PeriodStarts,
    private readonly limits: Map<string, LimitRow[]>,
    private readonly blocks: Map<string, { kind: BlockKind; until: Date }>,
    private readonly totals: Map<string, PeriodTotals>,
  ) {}

  /** Refuses a stake of a blocked player, or one that would pass a loss or wager limit (nothing is counted yet). */
  check(userId: string, currency: string, stake: number): void {
    const block = this.blocks.get(userId);
    if (block) throw playBlocked(block.kind, block.until);
    const limits = this.limits.get(userId);
    if (!limits) return;
    assertStakeWithinLimits(limits, this.totals.get(`${userId}:${currency}`) ?? zeroTotals(), currency, stake, this.now);
  }

  /** Counts a stake (`wagered`) and the net loss it made (stake − payout; a win alone is negative) for a limited player. */
  add(userId: string, currency: string, wagered: number, loss: number): void {
    if (!this.limits.has(userId) || (wagered === 0 && loss === 0)) return;
    const key = `${userId}:${currency}`;
    const t = this.totals.get(key) ?? zeroTotals();
    for (const p of LIMIT_PERIODS) t[p] = { wagered: t[p].wagered + wagered, loss: t[p].loss + loss };
    this.totals.set(key, t);
    this.changes.push({ userId, currency, wagered, loss });
  }

  /** The totals' write for `executeTogether` (none when no limited player played). */
  writes(): WritePart[] {
    const w = usageWrite(this.changes, this.starts);
    return w ? [w] : [];
  }
}

/**
 * Responsible play (docs/limits.md): loss, wager and spend limits per currency and UTC period, cool-off and
 * self-exclusion, reality checks. Limits are enforced where the money moves, inside the same transaction: the round and
 * escrow batches read the limits of their players in their lock statement and their totals under the wallet locks
 * (`forBatch`), purchases lock the player's spend limits (`assertPurchase`). Players can only tighten protection at
 * once; loosening waits a day; a cool-off or exclusion cannot be ended early.
 */
export class LimitsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly opts: {
      realityCheckDefaultMinutes: number;
      /** closes the player's game-room connections (a cool-off or exclusion started) */
      kick: (userId: string, reason: string) => Promise<void>;
    },
  ) {}

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }

  /** The read of the batch's players' limits and blocks, to run in the batch's lock statement. */
  batchRead(userIds: string[], now: Date): WritePart {
    return batchLimitsRead(userIds, now);
  }

  /**
   * The limits of a batch from the rows of `batchRead`; when a player has one, their running totals are read in a
   * statement of their own, after the wallet locks are held (so a concurrent batch's totals are committed and seen).
   */
  async forBatch(em: EntityManager, rows: Array<Record<string, unknown>>, now: Date): Promise<BatchLimits> {
    const starts = periodStarts(now);
    const limits = new Map<string, LimitRow[]>();
    const blocks = new Map<string, { kind: BlockKind; until: Date }>();
    for (const raw of rows) {
      const r = limitRowOf(raw);
      if (String(raw.kind).startsWith('block:')) {
        blocks.set(r.userId, { kind: String(raw.kind).slice(6) as BlockKind, until: r.pendingAt! });
        continue;
      }
      if (effectiveAmount(r, now) === null && !pendingChange(r, now)) continue;
      limits.set(r.userId, [...(limits.get(r.userId) ?? []), r]);
    }
    const totals = limits.size > 0 ? await readUsage(em, [...limits.keys()], starts) : new Map<string, PeriodTotals>();
    return new BatchLimits(now, starts, limits, blocks, totals);
  }

  /** The totals' write for settlements and refunds (rows exist only for limited players; others match nothing). */
  settlementWrites(changes: UsageChange[], now: Date): WritePart[] {
    const w = usageWrite(changes, periodStarts(now));
    return w ? [w] : [];
  }

  /**
   * Refuses joining a game room during a cool-off or self-exclusion; otherwise tells the player's reality-check
   * interval in minutes (read with the block, so a join reads the player's protection once).
   */
  async assertCanPlay(userId: string): Promise<{ realityCheckMinutes: number }> {
    const p = await protectionOf(this.em(), userId);
    const now = this.clock.now();
    if (p.blockKind && p.blockUntil && p.blockUntil > now) throw playBlocked(p.blockKind, p.blockUntil);
    return { realityCheckMinutes: p.realityCheckMinutes ?? this.opts.realityCheckDefaultMinutes };
  }

  /**
   * Inside a purchase's transaction: refuses any purchase during a cool-off or exclusion, and a purchase in USD or GEM
   * that would pass a spend limit. The player's spend limits are locked, so two concurrent purchases are checked one
   * after the other.
   */
  async assertPurchase(em: EntityManager, userId: string, currency: string, amount: number): Promise<void> {
    const now = this.clock.now();
    const p = await protectionOf(em, userId);
    if (p.blockKind && p.blockUntil && p.blockUntil > now) throw playBlocked(p.blockKind, p.blockUntil);
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select user_id, kind, currency, period, amount, pending_amount, pending_at from play_limits
        where user_id = ? and kind = 'spend' and currency = ? order by period for update`,
      [userId, currency],
    );
    for (const r of rows.map(limitRowOf)) {
      const limit = effectiveAmount(r, now);
      if (limit === null) continue;
      const start = new Date(`${periodStarts(now)[r.period]}T00:00:00.000Z`);
      const spent = await spentSince(em, userId, currency, start);
      if (spent + amount > limit) throw limitReached('spend', currency, r.period, limit, spent, amount, now);
    }
  }

  /** What a game session staked and won so far (a reality check's net result). */
  async sessionResult(sessionId: string): Promise<{ wagered: number; won: number }> {
    const rows = await this.em().execute<Array<{ wagered: string; won: string }>>('select wagered, won from game_sessions where id = ?', [
      sessionId,
    ]);
    return { wagered: Number(rows[0]?.wagered ?? 0), won: Number(rows[0]?.won ?? 0) };
  }

  async view(userId: string): Promise<LimitsView> {
    return this.viewIn(this.em(), userId);
  }

  private async viewIn(em: EntityManager, userId: string): Promise<LimitsView> {
    const now = this.clock.now();
    const starts = periodStarts(now);
    const [rows, protection, totals] = [await limitsOf(em, userId), await protectionOf(em, userId), await readUsage(em, [userId], starts)];
    const spend = new Map<string, number>();
    const limits: LimitsView['limits'] = [];
    for (const r of rows) {
      const amount = effectiveAmount(r, now);
      const pending = pendingChange(r, now);
      if (amount === null && !pending) continue;
      let used: number;
      if (r.kind === 'spend') {
        const k = `${r.currency}:${r.period}`;
        if (!spend.has(k)) spend.set(k, await spentSince(em, userId, r.currency, new Date(`${starts[r.period]}T00:00:00.000Z`)));
        used = spend.get(k)!;
      } else {
        const t = (totals.get(`${userId}:${r.currency}`) ?? zeroTotals())[r.period];
        used = r.kind === 'wager' ? t.wagered : t.loss;
      }
      limits.push({
        kind: r.kind,
        currency: r.currency,
        period: r.period,
        amount,
        pending: pending ? { amount: pending.amount, effective_at: pending.at.toISOString() } : null,
        used,
        remaining: amount === null ? null : Math.max(0, amount - used),
        resets_at: periodEnd(r.period, now).toISOString(),
      });
    }
    const usage: LimitsView['usage'] = {};
    for (const [key, t] of totals) usage[key.split(':')[1]] = t;
    const blocked = protection.blockKind && protection.blockUntil && protection.blockUntil > now;
    return {
      limits,
      usage,
      block: blocked ? { kind: protection.blockKind!, until: protection.blockUntil!.toISOString() } : null,
      reality_check_minutes: protection.realityCheckMinutes ?? this.opts.realityCheckDefaultMinutes,
      reality_check_custom: protection.realityCheckMinutes !== null,
    };
  }

  /**
   * The player changes some limits: lowering (or a first limit) applies at once, raising or removing after 24 h
   * (shown as pending); asking again for the same pending change keeps its time. Every change is in the history. The
   * player's running totals are computed again from the ledger under their wallet locks, so a new limit counts what
   * was already played in its period.
   */
  async setLimits(userId: string, changes: LimitChange[], key?: string): Promise<Idempotent<LimitsView>> {
    return this.idempotent(userId, 'limits.set', key, changes, async (em) => {
      const now = this.clock.now();
      // the limits first, then the wallets: the order a purchase takes them in (spend limits, then its payment)
      const current = new Map((await limitsOf(em, userId, true)).map((r) => [`${r.kind}:${r.currency}:${r.period}`, r]));
      await lockWalletRows(em, [userId]);
      for (const c of changes) {
        const before = current.get(`${c.kind}:${c.currency}:${c.period}`) ?? null;
        const inForce = before ? effectiveAmount(before, now) : null;
        const waiting = before ? pendingChange(before, now) : null;
        if (waiting && waiting.amount === c.amount) continue; // the same raise asked again: it keeps its time
        if (!waiting && inForce === c.amount) continue; // nothing changes
        const next = changeLimit(before, c, now);
        await saveLimit(em, userId, next.row, now);
        await addHistory(em, userId, {
          actor: 'player',
          action: next.immediate ? 'limit_lowered' : c.amount === null ? 'limit_removal_requested' : 'limit_raise_requested',
          kind: c.kind,
          currency: c.currency,
          period: c.period,
          before: next.before,
          after: c.amount,
          effectiveAt: next.effectiveAt,
          detail: null,
          createdAt: now,
        });
      }
      await seedUsage(em, userId, periodStarts(now));
      return this.viewIn(em, userId);
    });
  }

  /**
   * Starts a cool-off or a self-exclusion: game rooms and purchases are refused until it ends. A running one is only
   * ever extended (never shortened, never ended by the player). The player's game-room connections are closed.
   */
  async startBlock(userId: string, kind: BlockKind, duration: string, key?: string): Promise<Idempotent<LimitsView>> {
    const hours = BLOCK_DURATIONS[kind][duration];
    if (!hours) {
      throw new DomainError('request/invalid', `A ${kind} lasts ${Object.keys(BLOCK_DURATIONS[kind]).join(', ')}.`, {
        issues: [{ path: 'body.duration', message: 'unknown duration', code: 'invalid_value' }],
      });
    }
    const out = await this.idempotent(userId, 'limits.block', key, { kind, duration }, async (em) => {
      const now = this.clock.now();
      const p = await protectionOf(em, userId, true);
      const until = new Date(now.getTime() + hours * 3600 * 1000);
      const running = p.blockKind && p.blockUntil && p.blockUntil > now;
      // the stronger of the two stays: a self-exclusion is never turned into a cool-off, an end never moves earlier
      const keepEnd = running && p.blockUntil! > until;
      const nextKind: BlockKind = running && p.blockKind === 'self_exclusion' ? 'self_exclusion' : kind;
      const nextUntil = keepEnd ? p.blockUntil! : until;
      await saveProtection(em, userId, { ...p, blockKind: nextKind, blockUntil: nextUntil }, now);
      await addHistory(em, userId, {
        actor: 'player',
        action: kind,
        kind: null,
        currency: null,
        period: null,
        before: null,
        after: null,
        effectiveAt: now,
        detail: { duration, until: nextUntil.toISOString(), kind: nextKind, previous_until: running ? p.blockUntil!.toISOString() : null },
        createdAt: now,
      });
      return this.viewIn(em, userId);
    });
    const block = out.result.block;
    if (block) await this.opts.kick(userId, block.kind === 'cool_off' ? 'limits/cool_off' : 'limits/self_excluded');
    return out;
  }

  /** Sets the player's reality-check interval (minutes, one of the choices; null = the default). */
  async setRealityCheck(userId: string, minutes: number | null): Promise<LimitsView> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const now = this.clock.now();
      const p = await protectionOf(em, userId, true);
      if (p.realityCheckMinutes === minutes) return this.viewIn(em, userId);
      await saveProtection(em, userId, { ...p, realityCheckMinutes: minutes }, now);
      await addHistory(em, userId, {
        actor: 'player',
        action: 'reality_check',
        kind: null,
        currency: null,
        period: null,
        before: p.realityCheckMinutes,
        after: minutes,
        effectiveAt: now,
        detail: null,
        createdAt: now,
      });
      return this.viewIn(em, userId);
    });
  }

  /** A player's limits and history, for operators (read-only). */
  async forOperator(userId: string, historyLimit = 100): Promise<{ view: LimitsView; history: HistoryEntry[] }> {
    const em = this.em();
    return { view: await this.viewIn(em, userId), history: await historyOf(em, userId, historyLimit) };
  }

  private async idempotent<T>(
    userId: string,
    scope: string,
    key: string | undefined,
    body: unknown,
    run: (em: EntityManager) => Promise<T>,
  ): Promise<Idempotent<T>> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      if (!key) return { result: await run(em), replayed: false };
      return once(em, { userId, scope, key, hash: requestHash(body) }, () => run(em));
    });
  }
}
