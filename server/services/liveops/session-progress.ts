import type { EntityManager } from '@mikro-orm/postgresql';
import { advanceProgress, contributionOf, parseCondition, type Condition, type SessionTotals } from '../../../domain/liveops/conditions.ts';
import { isInSchedule, nextStatus } from '../../../domain/liveops/lifecycle.ts';
import { periodKey } from '../../../domain/liveops/periods.ts';
import { definitions } from '../../db/repositories/liveops-definition.repository.ts';
import { writeOutbox } from '../../db/repositories/outbox.repository.ts';
import { progressRows, type ProgressEntity } from '../../db/repositories/progress.repository.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import type { SessionEndHook } from '../games/game.service.ts';
import { eventPeriod, scheduleOf, type ActiveDefinitions } from './definitions.ts';

/**
 * The session-end hook of live-ops, as a unit of work inside the transaction that closes the session: the
 * player's matching mission rows and joined event participations are loaded (locked) as entities, advanced in
 * memory, and written by one flush. The session and its progress are then recorded in the outbox, and pushed to
 * the player's hub after the commit.
 */
export function sessionProgressHook(
  defs: ActiveDefinitions,
  hub: HubPublisher,
  onChanged: (userId: string) => Promise<void>,
): SessionEndHook {
  return async (em, session, afterCommit) => {
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
    const pushes = [
      ...(await advanceMissions(em, defs, session.userId, totals, at)),
      ...(await advanceEvents(em, session.userId, totals, at)),
    ];
    await em.flush();
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
    for (const p of pushes) await writeOutbox(em, { type: 'progress', userId: session.userId, payload: p });
    afterCommit(async () => {
      // drop the cached dashboard first: a client refetches it as soon as a push arrives
      await onChanged(session.userId);
      for (const p of pushes) await hub.push(session.userId, 'event_progress', p);
      await hub.push(session.userId, 'stats_update', {
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
}

type Progressed = Record<string, unknown>;

async function advanceMissions(em: EntityManager, defs: ActiveDefinitions, userId: string, totals: SessionTotals, at: Date) {
  const touched = (await defs.missions(em))
    .filter((m) => isInSchedule(scheduleOf(m), at))
    .map((m) => ({ m, cond: parseCondition(m.condition), key: periodKey(m.period, at) }))
    .filter((t) => contributionOf(t.cond, totals) !== 0);
  const keys = touched.map((t) => ({ missionId: t.m.id, periodKey: t.key }));
  await progressRows.ensureMissions(em, userId, keys);
  const rows = await progressRows.lockMissions(em, userId, keys);
  const pushes: Progressed[] = [];
  for (const t of touched) {
    const row = rows.find((r) => r.missionId === t.m.id && r.periodKey === t.key);
    const step = row && advance(row, t.cond, totals, at, scheduleOf(t.m).endsAt);
    if (step) pushes.push({ kind: 'mission', id: t.m.id, mission_id: t.m.id, code: t.m.code, period_key: t.key, ...step });
  }
  return pushes;
}

async function advanceEvents(em: EntityManager, userId: string, totals: SessionTotals, at: Date) {
  const touched = (await definitions.joinedEvents(em, userId))
    .filter((e) => isInSchedule(scheduleOf(e), at) && e.periodKey === periodKey(eventPeriod(e.type), at))
    .map((e) => ({ e, cond: parseCondition(e.condition) }))
    .filter((t) => contributionOf(t.cond, totals) !== 0);
  const rows = await progressRows.lockParticipations(
    em,
    userId,
    touched.map((t) => ({ eventId: t.e.id, periodKey: t.e.periodKey })),
  );
  const pushes: Progressed[] = [];
  for (const { e, cond } of touched) {
    const row = rows.find((r) => r.eventId === e.id && r.periodKey === e.periodKey);
    const step = row && advance(row, cond, totals, at, scheduleOf(e).endsAt);
    if (step) pushes.push({ kind: 'event', id: e.id, event_id: e.id, code: e.code, period_key: e.periodKey, ...step });
  }
  return pushes;
}

/** Adds the session's contribution to an active row (in memory; the hook flushes), bumping its progress version. */
function advance(row: ProgressEntity, cond: Condition, totals: SessionTotals, at: Date, endsAt: Date | null) {
  if (row.status !== 'active') return null;
  const next = advanceProgress(Number(row.progress), cond, totals);
  if (!next.changed) return null;
  const status = nextStatus({ status: row.status, progress: next.progress, condition: cond, now: at, endsAt });
  row.progress = next.progress;
  row.progressVersion = (row.progressVersion ?? 0) + 1;
  row.lastProgressAt = at;
  row.status = status;
  return { progress: next.progress, target: cond.target, progress_version: row.progressVersion, status, can_claim: status === 'claimable' };
}
