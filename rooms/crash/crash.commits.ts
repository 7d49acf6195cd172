import { CRASH_VERSION, type CrashRound } from '../../domain/games/crash/round.ts';
import type { SettledEvent } from '../../domain/games/crash/rules.ts';
import type { CrashChainService } from '../../server/services/games/crash-chain.service.ts';
import type { EscrowService } from '../../server/services/games/escrow.service.ts';
import type { BatchMarks } from '../../server/services/games/round-marks.ts';
import type { PlayerClient } from '../shared/game-room.ts';
import type { CrashServerMessages } from './crash.messages.ts';

/** A bet whose stake is escrowed (its round open) for the running round. */
export interface LiveBet {
  roundId: string;
  sessionId: string;
  userId: string;
  amount: number;
}

/** What one rules step has to write: its settlements, its refunds, the round's new status. */
export interface StepWrites {
  round: CrashRound;
  bets: Array<{ e: SettledEvent; bet: LiveBet }>;
  refunds: LiveBet[];
  status?: 'running' | 'crashed' | 'voided';
}

/** Where a commit reads and tells: the escrow, the chain's round status, the table's connections. */
export interface CommitTarget {
  escrow: Pick<EscrowService, 'settle' | 'refundMany'>;
  chain: Pick<CrashChainService, 'markRound'>;
  clients: ReadonlyArray<PlayerClient<CrashServerMessages>>;
  broadcastCrashed: (msg: CrashServerMessages['crashed']) => void;
}

/**
 * Commits the steps taken while the previous commit ran, as one: every settlement in one set-based transaction, every
 * refund in another, then each new round status in order. Each write is idempotent (status guards, ledger keys), so
 * the whole call can be retried after an unknown outcome; a player is told only what this call committed. `marks` gets
 * the settlement transaction's moments (the cash-outs' phase timings).
 */
export async function commitSteps(t: CommitTarget, steps: StepWrites[], marks?: BatchMarks): Promise<void> {
  const bets = steps.flatMap((s) => s.bets.map((b) => ({ ...b, round: s.round })));
  const refunds = steps.flatMap((s) => s.refunds);
  const results = await t.escrow.settle(
    bets.map(({ e, bet, round }) => ({
      roundId: bet.roundId,
      userId: bet.userId,
      sessionId: bet.sessionId,
      amount: bet.amount,
      multiplier: e.multiplier,
      outcome: { cashed_out_at: e.multiplier || null, crash_point: round.crashPoint, reason: e.reason },
    })),
    'crash',
    marks,
  );
  const byUser = results.some((r) => r) || refunds.length > 0 ? connectionsByUser(t.clients) : new Map<string, never[]>();
  results.forEach((r, i) => {
    const { e, bet } = bets[i];
    if (r && r.payout > 0 && e.reason !== 'crashed')
      for (const c of byUser.get(bet.userId) ?? [])
        c.send('cashed_out', { round_id: bet.roundId, multiplier: e.multiplier, payout: r.payout, reason: e.reason, balances: r.balances });
  });
  const refunded = await t.escrow.refundMany(refunds);
  refunded.forEach((balances, i) => {
    const bet = refunds[i];
    if (balances)
      for (const c of byUser.get(bet.userId) ?? []) c.send('bet_refunded', { round_id: bet.roundId, amount: bet.amount, balances });
  });
  for (const s of steps) {
    if (!s.status) continue;
    await t.chain.markRound(s.round.id, s.status);
    // announced once every bet of the round is settled, so balances seen after it are final
    if (s.status === 'crashed') t.broadcastCrashed({ crash_round_id: s.round.id, crash_point: s.round.crashPoint, version: CRASH_VERSION });
  }
}

/** The table's connections by user (a user may have several tabs open). */
function connectionsByUser(clients: CommitTarget['clients']): Map<string, Array<PlayerClient<CrashServerMessages>>> {
  const out = new Map<string, Array<PlayerClient<CrashServerMessages>>>();
  for (const c of clients) {
    const id = c.auth?.userId;
    if (!id) continue;
    const list = out.get(id);
    if (list) list.push(c);
    else out.set(id, [c]);
  }
  return out;
}
