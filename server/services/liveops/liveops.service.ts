import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { advanceProgress, contributionOf, parseCondition, type Condition, type SessionTotals } from '../../../domain/liveops/conditions.ts';
import { assertClaimable, isInSchedule, nextStatus, type ParticipationStatus } from '../../../domain/liveops/lifecycle.ts';
import { periodKey, type Period } from '../../../domain/liveops/periods.ts';
import { parseRewardBundle } from '../../../domain/liveops/rewards.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { fromJson } from '../../db/sql.ts';
import type { ClosedSession, SessionEndHook } from '../games/game.service.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import { once, requestHash } from '../shop/idempotency.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import type { GrantResult, RewardService } from '../wallet/reward.service.ts';

interface EventRow {
  id: string;
  code: string;
  name: string;
  description: string;
  type: 'daily' | 'limited' | 'progression';
  condition: unknown;
  reward: unknown;
  starts_at: string | null;
  ends_at: string | null;
  rank: number;
}
interface MissionRow {
  id: string;
  code: string;
  name: string;
  period: 'daily' | 'weekly' | 'achievement';
  condition: unknown;
  reward: unknown;
  rank: number;
}
interface ProgressRow {
  id: string;
  progress: string;
  progress_version: number;
  status: ParticipationStatus;
  last_progress_at: string | null;
}

export interface ClaimResult extends GrantResult {
  applied: boolean;
  progress_version: number;
}

/** Something that changed for a player and is pushed to their hub after commit. */
type Push = { type: 'event_progress'; payload: Record<string, unknown> };

/** How long the active events' and missions' definitions are cached in memory (ms). */
const DEFINITIONS_TTL_MS = 2000;
const eventPeriod = (type: EventRow['type']): Period => (type === 'daily' ? 'daily' : 'once');

/**
 * Events, missions and claims. Progress comes only from the session-end hook (never from a client call); every
 * progress update bumps `progress_version`; claims pay through RewardService under a unique grant key, so a
 * repeated or concurrent claim pays once and returns the same result.
 */
export class LiveOpsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly rewards: RewardService,
    private readonly hub: HubPublisher,
    private readonly clock: Clock,
    /** called after a player's live-ops data changed (dashboard cache) */
    private readonly onChanged: (userId: string) => Promise<void> = async () => undefined,
  ) {}

  /**
   * The active definitions (the same rows for every player, read by every lobby, mission list and session end),
   * kept for a couple of seconds. An operator's change shows within that time. A miss reads them through the
   * caller's entity manager: a session-end hook runs inside its transaction and must not wait for a second pool
   * connection while holding one (200 sessions closing at once would take the whole pool and wait forever).
   */
  private readonly definitions = new LRUCache<'events' | 'missions', EventRow[] | MissionRow[]>({ max: 2, ttl: DEFINITIONS_TTL_MS });

  private activeEvents(em: EntityManager): Promise<EventRow[]> {
    return this.active(
      em,
      'events',
      'select id, code, name, description, type, condition, reward, starts_at, ends_at, rank from events where active order by rank, code',
    );
  }

  private activeMissions(em: EntityManager): Promise<MissionRow[]> {
    return this.active(
      em,
      'missions',
      'select id, code, name, period, condition, reward, rank from missions where active order by rank, code',
    );
  }

  private async active<T extends EventRow[] | MissionRow[]>(em: EntityManager, which: 'events' | 'missions', sql: string): Promise<T> {
    const hit = this.definitions.get(which);
    if (hit) return hit as T;
    const rows = await em.execute<T>(sql);
    this.definitions.set(which, rows);
    return rows;
  }

  /** Running events with this player's participation (current period). */
  async events(userId: string) {
    const em = this.em();
    const now = this.clock.now();
    const rows = await this.activeEvents(em);
    const running = rows.filter((e) => isInSchedule(schedule(e), now));
    const mine = await this.participations(
      em,
      userId,
      running.map((e) => e.id),
    );
    return running.map((e) => {
      const cond = parseCondition(fromJson(e.condition));
      const p = mine.get(`${e.id}:${periodKey(eventPeriod(e.type), now)}`);
      return {
        id: e.id,
        code: e.code,
        name: e.name,
        description: e.description,
        type: e.type,
        condition: cond,
        reward: fromJson(e.reward),
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        joined: !!p,
        progress: p ? Number(p.progress) : 0,
        target: cond.target,
        progress_version: p?.progress_version ?? 0,
        status: p ? nextStatus({ status: p.status, progress: Number(p.progress), condition: cond, now, endsAt: endOf(e) }) : null,
      };
    });
  }

  /** Joins a running event for its current period (once: a repeat returns the same participation). */
  async participate(userId: string, eventId: string) {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const e = await this.eventById(em, eventId);
      if (!isInSchedule(schedule(e), this.clock.now())) throw new DomainError('event/not_active', `${e.name} is not running now.`);
      const period = periodKey(eventPeriod(e.type), this.clock.now());
      await em.execute(
        `insert into event_participations (id, user_id, event_id, period_key, progress, progress_version, status, joined_at)
         values (?, ?, ?, ?, 0, 0, 'active', now()) on conflict (user_id, event_id, period_key) do nothing`,
        [randomUUID(), userId, eventId, period],
      );
      const [p] = await em.execute<ProgressRow[]>(
        'select id, progress, progress_version, status, last_progress_at from event_participations where user_id = ? and event_id = ? and period_key = ?',
        [userId, eventId, period],
      );
      return {
        event_id: eventId,
        period_key: period,
        status: p.status,
        progress: Number(p.progress),
        progress_version: p.progress_version,
      };
    });
  }

  /** Active missions with this player's progress in the current period of each. */
  async missions(userId: string) {
    const em = this.em();
    const now = this.clock.now();
    const rows = await this.activeMissions(em);
    const mine = await em.execute<(ProgressRow & { mission_id: string; period_key: string })[]>(
      'select id, mission_id, period_key, progress, progress_version, status, last_progress_at from user_missions where user_id = ?',
      [userId],
    );
    const byKey = new Map(mine.map((m) => [`${m.mission_id}:${m.period_key}`, m]));
    return rows.map((m) => {
      const cond = parseCondition(fromJson(m.condition));
      const key = periodKey(m.period, now);
      const p = byKey.get(`${m.id}:${key}`);
      return {
        id: m.id,
        code: m.code,
        name: m.name,
        period: m.period,
        period_key: key,
        condition: cond,
        reward: fromJson(m.reward),
        progress: p ? Number(p.progress) : 0,
        target: cond.target,
        progress_version: p?.progress_version ?? 0,
        status: p?.status ?? 'active',
      };
    });
  }

  /** Claims a completed event (current period). A repeat returns the first result with `applied: false`. */
  async claimEvent(userId: string, eventId: string, idempotencyKey?: string): Promise<ClaimResult> {
    return this.claim(userId, `event:${eventId}`, idempotencyKey, async (em) => {
      const e = await this.eventById(em, eventId);
      const period = periodKey(eventPeriod(e.type), this.clock.now());
      const rows = await em.execute<ProgressRow[]>(
        'select id, progress, progress_version, status, last_progress_at from event_participations where user_id = ? and event_id = ? and period_key = ? for update',
        [userId, eventId, period],
      );
      return {
        table: 'event_participations',
        row: rows[0],
        condition: parseCondition(fromJson(e.condition)),
        endsAt: endOf(e),
        reward: fromJson(e.reward),
        grantKey: `event:${userId}:${eventId}:${period}`,
        source: 'event',
        sourceId: eventId,
      };
    });
  }

  /** Claims a completed mission (current period). */
  async claimMission(userId: string, missionId: string, idempotencyKey?: string): Promise<ClaimResult> {
    return this.claim(userId, `mission:${missionId}`, idempotencyKey, async (em) => {
      const rows = await em.execute<MissionRow[]>('select id, code, name, period, condition, reward, rank from missions where id = ?', [
        missionId,
      ]);
      if (rows.length === 0) throw new DomainError('resource/not_found', 'No such mission.');
      const m = rows[0];
      const period = periodKey(m.period, this.clock.now());
      const mine = await em.execute<ProgressRow[]>(
        'select id, progress, progress_version, status, last_progress_at from user_missions where user_id = ? and mission_id = ? and period_key = ? for update',
        [userId, missionId, period],
      );
      return {
        table: 'user_missions',
        row: mine[0],
        condition: parseCondition(fromJson(m.condition)),
        endsAt: null,
        reward: fromJson(m.reward),
        grantKey: `mission:${userId}:${missionId}:${period}`,
        source: 'mission',
        sourceId: missionId,
      };
    });
  }

  /** Claimable events and missions of the current periods. */
  async pending(userId: string) {
    const [events, missions] = await Promise.all([this.events(userId), this.missions(userId)]);
    return [
      ...events.filter((e) => e.status === 'claimable').map((e) => ({ kind: 'event', id: e.id, name: e.name, reward: e.reward })),
      ...missions.filter((m) => m.status === 'claimable').map((m) => ({ kind: 'mission', id: m.id, name: m.name, reward: m.reward })),
    ];
  }

  /** Every reward paid to the player, newest first. */
  async history(userId: string, limit = 50) {
    const rows = await this.em().execute<
      { grant_key: string; source: string; source_id: string | null; bundle: unknown; created_at: string }[]
    >('select grant_key, source, source_id, bundle, created_at from reward_grants where user_id = ? order by created_at desc limit ?', [
      userId,
      limit,
    ]);
    return rows.map((r) => ({ ...r, bundle: fromJson(r.bundle) }));
  }

  /** The session-end hook: progresses matching missions and joined events in the closing transaction. */
  readonly sessionEndHook: SessionEndHook = async (em, session, afterCommit) => {
    const pushes: Push[] = [];
    const totals: SessionTotals = {
      game: session.game,
      rounds: session.rounds,
      wagered: session.wagered,
      won: session.won,
      wins: session.wins,
      biggestMultiplier: session.biggestMultiplier,
      pulls: session.pulls,
    };
    const at = session.endedAt;
    const missions = await this.activeMissions(em);
    for (const m of missions) {
      const cond = parseCondition(fromJson(m.condition));
      if (contributionOf(cond, totals) === 0) continue;
      const key = periodKey(m.period, at);
      await em.execute(
        `insert into user_missions (id, user_id, mission_id, period_key, progress, progress_version, status) values (?, ?, ?, ?, 0, 0, 'active') on conflict do nothing`,
        [randomUUID(), session.userId, m.id, key],
      );
      const push = await this.progress(
        em,
        'user_missions',
        `user_id = ? and mission_id = ? and period_key = ?`,
        [session.userId, m.id, key],
        cond,
        totals,
        at,
        null,
      );
      if (push)
        pushes.push({
          type: 'event_progress',
          payload: { kind: 'mission', id: m.id, mission_id: m.id, code: m.code, period_key: key, ...push },
        });
    }
    const events = await em.execute<(EventRow & { period_key: string })[]>(
      `select e.id, e.code, e.name, e.description, e.type, e.condition, e.reward, e.starts_at, e.ends_at, e.rank, p.period_key
         from events e join event_participations p on p.event_id = e.id where e.active and p.user_id = ? and p.status = 'active'`,
      [session.userId],
    );
    for (const e of events) {
      if (!isInSchedule(schedule(e), at) || e.period_key !== periodKey(eventPeriod(e.type), at)) continue;
      const cond = parseCondition(fromJson(e.condition));
      if (contributionOf(cond, totals) === 0) continue;
      const push = await this.progress(
        em,
        'event_participations',
        `user_id = ? and event_id = ? and period_key = ?`,
        [session.userId, e.id, e.period_key],
        cond,
        totals,
        at,
        endOf(e),
      );
      if (push)
        pushes.push({
          type: 'event_progress',
          payload: { kind: 'event', id: e.id, event_id: e.id, code: e.code, period_key: e.period_key, ...push },
        });
    }
    await writeOutbox(em, {
      type: 'session_end',
      userId: session.userId,
      payload: {
        session_id: session.id,
        game: session.game,
        status: session.status,
        rounds: session.rounds,
        wagered: session.wagered,
        won: session.won,
      },
    });
    for (const p of pushes) await writeOutbox(em, { type: 'progress', userId: session.userId, payload: p.payload });
    afterCommit(async () => {
      // drop the cached dashboard first: a client refetches it as soon as a push arrives
      await this.onChanged(session.userId);
      for (const p of pushes) await this.hub.push(session.userId, p.type, p.payload);
      await this.hub.push(session.userId, 'stats_update', {
        game: session.game,
        session_id: session.id,
        rounds: session.rounds,
        wins: session.wins,
        wagered: session.wagered,
        won: session.won,
        win_rate: session.rounds > 0 ? session.wins / session.rounds : 0,
      });
    });
  };

  private async progress(
    em: EntityManager,
    table: 'user_missions' | 'event_participations',
    where: string,
    params: unknown[],
    cond: Condition,
    totals: SessionTotals,
    at: Date,
    endsAt: Date | null,
  ) {
    const [row] = await em.execute<ProgressRow[]>(
      `select id, progress, progress_version, status, last_progress_at from ${table} where ${where} for update`,
      params,
    );
    if (!row || row.status !== 'active') return null;
    const next = advanceProgress(Number(row.progress), cond, totals);
    if (!next.changed) return null;
    const status = nextStatus({ status: row.status, progress: next.progress, condition: cond, now: at, endsAt });
    await em.execute(
      `update ${table} set progress = ?, progress_version = progress_version + 1, last_progress_at = ?, status = ? where id = ?`,
      [next.progress, at, status, row.id],
    );
    return {
      progress: next.progress,
      target: cond.target,
      progress_version: row.progress_version + 1,
      status,
      can_claim: status === 'claimable',
    };
  }

  private async claim(
    userId: string,
    scope: string,
    idempotencyKey: string | undefined,
    load: (em: EntityManager) => Promise<{
      table: string;
      row: ProgressRow | undefined;
      condition: Condition;
      endsAt: Date | null;
      reward: unknown;
      grantKey: string;
      source: string;
      sourceId: string;
    }>,
  ): Promise<ClaimResult> {
    let paid: ClaimResult | null = null;
    const out = await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const run = async () => {
        const c = await load(em);
        if (!c.row)
          throw new DomainError('event/not_claimable', 'Nothing to claim: not joined, or no progress yet.', { reason: 'not_claimable' });
        const status = nextStatus({
          status: c.row.status,
          progress: Number(c.row.progress),
          condition: c.condition,
          now: this.clock.now(),
          endsAt: c.endsAt,
        });
        // a claimed row replays its grant below; anything else must be claimable
        if (status !== 'claimed') assertClaimable(status);
        const granted = await this.rewards.grant(em, {
          userId,
          grantKey: c.grantKey,
          source: c.source,
          sourceId: c.sourceId,
          bundle: parseRewardBundle(c.reward),
        });
        let version = c.row.progress_version;
        if (granted.applied) {
          await em.execute(
            `update ${c.table} set status = 'claimed', claimed_at = ?, progress_version = progress_version + 1 where id = ?`,
            [this.clock.now(), c.row.id],
          );
          version += 1;
          await writeOutbox(em, { type: 'progress', userId, payload: { claimed: c.grantKey, source: c.source, source_id: c.sourceId } });
        }
        const result: ClaimResult = { ...granted.result, applied: granted.applied, progress_version: version };
        if (granted.applied) paid = result;
        return { status: 200, body: result };
      };
      if (!idempotencyKey) return (await run()).body;
      return (await once(em, { userId, scope: `claim:${scope}`, key: idempotencyKey, hash: requestHash({ scope }) }, run))
        .body as ClaimResult;
    });
    if (paid) {
      await this.onChanged(userId); // before the pushes, which make clients refetch the dashboard
      await this.hub.push(userId, 'reward_granted', paid);
      const b = (paid as ClaimResult).new_balances;
      await this.hub.push(userId, 'profile_update', {
        balances: b,
        gold: b.GOLD,
        gem: b.GEM,
        ...((paid as ClaimResult).xp !== undefined ? { xp: (paid as ClaimResult).xp, level: (paid as ClaimResult).level } : {}),
      });
    }
    return out;
  }

  private async participations(em: EntityManager, userId: string, eventIds: string[]) {
    if (eventIds.length === 0) return new Map<string, ProgressRow>();
    const rows = await em.execute<(ProgressRow & { event_id: string; period_key: string })[]>(
      'select id, event_id, period_key, progress, progress_version, status, last_progress_at from event_participations where user_id = ? and event_id in (?)',
      [userId, eventIds],
    );
    return new Map(rows.map((r) => [`${r.event_id}:${r.period_key}`, r]));
  }

  private async eventById(em: EntityManager, id: string): Promise<EventRow> {
    const rows = await em.execute<EventRow[]>(
      'select id, code, name, description, type, condition, reward, starts_at, ends_at, rank from events where id = ? and active',
      [id],
    );
    if (rows.length === 0) throw new DomainError('resource/not_found', 'No such event.');
    return rows[0];
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}

function schedule(e: { starts_at: string | null; ends_at: string | null }) {
  return { startsAt: e.starts_at ? new Date(e.starts_at) : null, endsAt: e.ends_at ? new Date(e.ends_at) : null };
}
function endOf(e: { ends_at: string | null }): Date | null {
  return e.ends_at ? new Date(e.ends_at) : null;
}

export type { ClosedSession };
