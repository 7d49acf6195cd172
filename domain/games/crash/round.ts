/**
 * The state of one shared crash round: a plain JSON object (persistable, patchable into room state after
 * hiding `crashPoint`), changed only by the transitions in rules.ts.
 */

export const CRASH_VERSION = 'crash-v1';

export type CrashPhase = 'betting' | 'running' | 'crashed' | 'voided';
/** Why a bet settled; `crashed` means lost (multiplier 0, payout 0). */
export type SettleReason = 'cashout' | 'auto_cashout' | 'cap' | 'crashed';

export interface CrashSettlement {
  /** hundredths; 0 when lost */
  multiplier: number;
  /** floor(amount × multiplier / 100), integer minor units */
  payout: number;
  reason: SettleReason;
}

export interface CrashBet {
  playerId: string;
  /** stake, integer minor units > 0, debited when placed */
  amount: number;
  /** hundredths ≥ 101, or null for manual cash-out only */
  autoCashout: number | null;
  /** null while riding */
  settlement: CrashSettlement | null;
}

export interface CrashRound {
  version: typeof CRASH_VERSION;
  id: string;
  phase: CrashPhase;
  /** hundredths ≥ 100, from `crashPointHundredths`; secret until the round crashes */
  crashPoint: number;
  /** the most the round may pay in total (stakes returned included), integer minor units */
  capPayout: number;
  /** the last multiplier the round advanced to (hundredths); the crash point once crashed */
  multiplier: number;
  /** total paid so far, integer minor units */
  paid: number;
  /** in placement order, one per player */
  bets: CrashBet[];
}
