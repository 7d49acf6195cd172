/**
 * Moments (performance.now(), ms) of one instant round's way through the server, filled in as it goes: the room
 * sets `received` and `sent`, the game service `queued`, and the batch that settles it shares its `BatchMarks`.
 * One small object per round; `phases` turns it into the durations between consecutive marks.
 */
export interface RoundMarks {
  /** the client's message was taken off the socket (before validation and the client's mailbox) */
  received: number;
  /** handed to the group commit */
  queued: number;
  /** the batch that settled it (its last try, when the batch was retried round by round) */
  batch?: BatchMarks;
}

/** Moments of one batch's transaction, shared by its rounds. */
export interface BatchMarks {
  /** the batch left the queue */
  started: number;
  /** seeds and wallets locked (BEGIN and the lock statements answered) */
  locked: number;
  /** rounds planned and the one write statement answered */
  written: number;
  /** COMMIT answered */
  committed: number;
}

/** The phases of a round, in order: each is the time from the previous mark to its own. */
export const ROUND_PHASES = ['mailbox', 'queue', 'lock', 'write', 'commit', 'reply'] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];

/** A fresh batch mark set, started now. */
export function startBatch(): BatchMarks {
  const now = performance.now();
  return { started: now, locked: now, written: now, committed: now };
}

/**
 * Calls `observe` with each phase's seconds and then `total` (received → sent). Nothing is observed for a round
 * that never reached a batch (refused before it was queued).
 */
export function observePhases(m: RoundMarks, sent: number, observe: (phase: RoundPhase | 'total', seconds: number) => void): void {
  const b = m.batch;
  if (!b || m.queued === 0) return;
  observe('mailbox', (m.queued - m.received) / 1000);
  observe('queue', (b.started - m.queued) / 1000);
  observe('lock', (b.locked - b.started) / 1000);
  observe('write', (b.written - b.locked) / 1000);
  observe('commit', (b.committed - b.written) / 1000);
  observe('reply', (sent - b.committed) / 1000);
  observe('total', (sent - m.received) / 1000);
}
