import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseCondition, type Condition } from '../../../domain/liveops/conditions.ts';
import { assertClaimable, isInSchedule, nextStatus } from '../../../domain/liveops/lifecycle.ts';
import { periodKey } from '../../../domain/liveops/periods.ts';
import { parseRewardBundle } from '../../../domain/liveops/rewards.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { definitions, type EventDefinition, type MissionDefinition } from '../../db/repositories/liveops-definition.repository.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import { progressRows, type ClaimRow, type ProgressRecord } from '../../db/repositories/progress.repository.ts';
import { runRead, type ReadPart } from '../../db/sql.ts';
import { grantHistory, type RewardRecord } from '../../db/repositories/reward-grant.repository.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import { phase } from '../../lib/phases.ts';
import type { ClosedSession, SessionEndHook } from '../games/game.service.ts';
import { once, requestHash } from '../shop/idempotency.ts';
import type { RewardService } from '../wallet/reward.service.ts';
import { ActiveDefinitions, eventPeriod, scheduleOf } from './definitions.ts';
import {
  claimMessage,
  grantProfileUpdate,
  type ClaimResult,
  type EventView,
  type MissionView,
  type Participation,
  type PendingReward,
} from './liveops.results.ts';
import { sessionProgressHook } from './session-progress.ts';

/** What a claim needs, loaded (and its progress row locked) in the claim's transaction. */
interface Claimable {
  row: ClaimRow | null;
  condition: Condition;
  endsAt: Date | null;
  reward: unknown;
  grantKey: string;
  source: 'event' | 'mission';
  sourceId: string;
}

/**
 * Events, missions and claims. Progress comes only from the session-end hook (never from a client call); every
 * progress update bumps `progress_version`; claims pay through RewardService under a unique grant key, so a
 * repeated or concurrent claim pays once and returns the same result.
 */
export class LiveOpsService {
  private readonly defs = new ActiveDefinitions();
  /** The session-end hook: progresses matching missions and joined events in the closing transaction. */
  readonly sessionEndHook: SessionEndHook;

  constructor(
    private readonly orm: MikroORM,
    private readonly rewards: RewardService,
    private readonly hub: HubPublisher,
    private readonly clock: Clock,
    /** called after a player's live-ops data changed (dashboard cache) */
    private readonly onChanged: (userId: string) => Promise<void> = async () => undefined,
  ) {
    this.sessionEndHook = sessionProgressHook(this.defs, hub, onChanged);
  }

  /** Running events with this player's participation (current period). */
  async events(userId: string): Promise<EventView[]> {
    const em = this.em();
    return runRead(em, await this.eventsRead(em, userId));
  }

  /** The read of `events` (the definitions come from their cache), to run with others (`readTogether`). */
  async eventsRead(em: EntityManager, userId: string): Promise<ReadPart<EventView[]>> {
    const now = this.clock.now();
    const running = (await this.defs.events(em)).filter((e) => isInSchedule(scheduleOf(e), now));
    const read = progressRows.participationsRead(
      em,
      userId,
      running.map((e) => e.id),
    );
    return { ...read, map: (raw) => this.eventViews(running, read.map(raw), now) };
  }

  private eventViews(running: EventDefinition[], rows: Array<ProgressRecord & { eventId: string }>, now: Date): EventView[] {
    return running.map((e) => {
      const cond = parseCondition(e.condition);
      const period = periodKey(eventPeriod(e.type), now);
      const p = rows.find((r) => r.eventId === e.id && r.periodKey === period);
      const progress = p ? Number(p.progress) : 0;
      return {
        id: e.id,
        code: e.code,
        name: e.name,
        description: e.description,
        type: e.type,
        condition: cond,
        reward: e.reward,
        startsAt: e.startsAt,
        endsAt: e.endsAt,
        joined: !!p,
        progress,
        target: cond.target,
        progressVersion: p?.progressVersion ?? 0,
        status: p ? nextStatus({ status: p.status ?? 'active', progress, condition: cond, now, endsAt: scheduleOf(e).endsAt }) : null,
      };
    });
  }

  /** Joins a running event for its current period (once: a repeat returns the same participation). */
  async participate(userId: string, eventId: string): Promise<Participation> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const e = await this.activeEvent(em, eventId);
      if (!isInSchedule(scheduleOf(e), this.clock.now())) throw new DomainError('event/not_active', `${e.name} is not running now.`);
      const period = periodKey(eventPeriod(e.type), this.clock.now());
      const p = await progressRows.join(em, userId, eventId, period);
      return {
        eventId,
        periodKey: period,
        status: p.status ?? 'active',
        progress: Number(p.progress),
        progressVersion: p.progressVersion ?? 0,
      };
    });
  }

  /** Active missions running now (inside their schedule) with this player's progress in the current period of each. */
  async missions(userId: string): Promise<MissionView[]> {
    const em = this.em();
    return runRead(em, await this.missionsRead(em, userId));
  }

  /** The read of `missions` (the definitions come from their cache), to run with others (`readTogether`). */
  async missionsRead(em: EntityManager, userId: string): Promise<ReadPart<MissionView[]>> {
    const now = this.clock.now();
    const running = (await this.defs.missions(em)).filter((m) => isInSchedule(scheduleOf(m), now));
    const read = progressRows.missionsRead(em, userId);
    return { ...read, map: (raw) => this.missionViews(running, read.map(raw), now) };
  }

  private missionViews(running: MissionDefinition[], rows: Array<ProgressRecord & { missionId: string }>, now: Date): MissionView[] {
    return running.map((m) => {
      const cond = parseCondition(m.condition);
      const key = periodKey(m.period, now);
      const p = rows.find((r) => r.missionId === m.id && r.periodKey === key);
      return {
        id: m.id,
        code: m.code,
        name: m.name,
        period: m.period,
        periodKey: key,
        condition: cond,
        reward: m.reward,
        progress: p ? Number(p.progress) : 0,
        target: cond.target,
        progressVersion: p?.progressVersion ?? 0,
        status: p?.status ?? 'active',
      };
    });
  }

  /** Claims a completed event (current period). A repeat returns the first result with `applied: false`. */
  claimEvent(userId: string, eventId: string, idempotencyKey?: string): Promise<ClaimResult> {
    return this.claim(userId, `event:${eventId}`, idempotencyKey, async (em, lock) => {
      const e = await this.activeEvent(em, eventId);
      const period = periodKey(eventPeriod(e.type), this.clock.now());
      const row = await progressRows.lockForClaim(em, 'event', userId, eventId, period, lock);
      const [condition, endsAt, reward] = [parseCondition(e.condition), scheduleOf(e).endsAt, e.reward];
      return {
        row,
        condition,
        endsAt,
        reward,
        grantKey: `event:${userId}:${eventId}:${period}`,
        source: 'event',
        sourceId: eventId,
      };
    });
  }

  /** Claims a completed mission (current period). */
  claimMission(userId: string, missionId: string, idempotencyKey?: string): Promise<ClaimResult> {
    return this.claim(userId, `mission:${missionId}`, idempotencyKey, async (em, lock) => {
      const m = await definitions.mission(em, missionId);
      if (!m) throw new DomainError('resource/not_found', 'No such mission.');
      const period = periodKey(m.period, this.clock.now());
      const row = await progressRows.lockForClaim(em, 'mission', userId, missionId, period, lock);
      const grantKey = `mission:${userId}:${missionId}:${period}`;
      return {
        row,
        condition: parseCondition(m.condition),
        endsAt: scheduleOf(m).endsAt,
        reward: m.reward,
        grantKey,
        source: 'mission',
        sourceId: missionId,
      };
    });
  }

  /** Claimable events and missions of the current periods. */
  async pending(userId: string): Promise<PendingReward[]> {
    const [events, missions] = await Promise.all([this.events(userId), this.missions(userId)]);
    return [
      ...events.filter((e) => e.status === 'claimable').map((e) => ({ kind: 'event' as const, id: e.id, name: e.name, reward: e.reward })),
      ...missions
        .filter((m) => m.status === 'claimable')
        .map((m) => ({ kind: 'mission' as const, id: m.id, name: m.name, reward: m.reward })),
    ];
  }

  /** Every reward paid to the player, newest first. */
  history(userId: string, limit = 50): Promise<RewardRecord[]> {
    return grantHistory(this.em(), userId, limit);
  }

  /**
   * Pays a claim once, as a unit of work: the progress row is loaded locked, the reward granted under its unique
   * key, and the row marked claimed in memory and flushed. Under an Idempotency-Key the result is stored and replayed.
   * A repeat of a paid claim without a key is a plain read: no transaction, no row lock (see `repeatOfPaidClaim`).
   */
  private async claim(
    userId: string,
    scope: string,
    idempotencyKey: string | undefined,
    load: (em: EntityManager, lock: boolean) => Promise<Claimable>,
  ) {
    if (!idempotencyKey) {
      const repeat = await this.repeatOfPaidClaim(load);
      phase('repeat_read');
      if (repeat) return repeat;
    }
    let paid: ClaimResult | null = null;
    const out = await this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      phase('begin');
      const run = async (): Promise<ClaimResult> => {
        const c = await load(em, true);
        phase('row_locked');
        if (!c.row)
          throw new DomainError('event/not_claimable', 'Nothing to claim: not joined, or no progress yet.', { reason: 'not_claimable' });
        const now = this.clock.now();
        const status = nextStatus({
          status: c.row.status,
          progress: c.row.progress,
          condition: c.condition,
          now,
          endsAt: c.endsAt,
        });
        // a claimed row replays its grant below; anything else must be claimable
        if (status !== 'claimed') assertClaimable(status);
        const bundle = parseRewardBundle(c.reward);
        const granted = await this.rewards.grant(em, { userId, grantKey: c.grantKey, source: c.source, sourceId: c.sourceId, bundle });
        phase('grant');
        let progressVersion = c.row.progressVersion;
        if (granted.applied) {
          progressVersion = progressRows.markClaimed(em, c.row, now);
          await em.flush();
          await writeOutbox(em, { type: 'progress', userId, payload: { claimed: c.grantKey, source: c.source, source_id: c.sourceId } });
        }
        const result: ClaimResult = { grant: granted.result, applied: granted.applied, progressVersion };
        if (granted.applied) paid = result;
        return result;
      };
      if (!idempotencyKey) return run();
      return (await once(em, { userId, scope: `claim:${scope}`, key: idempotencyKey, hash: requestHash({ scope }) }, run)).result;
    });
    phase('commit');
    const p = paid as ClaimResult | null;
    if (p) {
      // issued in this order on the one Redis connection (run in order, one round trip): the dashboard is dropped
      // before the pushes that make clients refetch it
      await Promise.all([
        this.onChanged(userId),
        this.hub.push(userId, 'reward_granted', claimMessage(p)),
        this.hub.push(userId, 'profile_update', grantProfileUpdate(p.grant)),
      ]);
      phase('announce');
    }
    return out;
  }

  /**
   * The result a repeat of a paid claim gets, read without a lock: a claimed row and its grant's stored result are
   * committed together and `claimed` is final, so the locked path would return exactly these committed values (the
   * stored grant, `applied: false`, the row's progress version). Null when the claim has not paid (yet).
   */
  private async repeatOfPaidClaim(load: (em: EntityManager, lock: boolean) => Promise<Claimable>): Promise<ClaimResult | null> {
    const em = this.em();
    const c = await load(em, false);
    if (c.row?.status !== 'claimed') return null;
    const grant = await this.rewards.paidResult(em, c.grantKey);
    return grant && { grant, applied: false, progressVersion: c.row.progressVersion };
  }

  private async activeEvent(em: EntityManager, id: string) {
    const e = await definitions.activeEvent(em, id);
    if (!e) throw new DomainError('resource/not_found', 'No such event.');
    return e;
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}

export type { ClosedSession };
