import { DomainError } from '../../shared/errors.ts';

/**
 * Rock-paper-scissors duel rules (DESIGN §4). Two seats, `a` and `b`, escrow the same stake; against the
 * house, the house is seat `b`, escrows the same stake and picks with one fair float (`housePick`, DESIGN
 * §4a), so a house duel consumes exactly one float of the player's round.
 */

export const RPS_VERSION = 'rps-v1';

export const PICKS = ['rock', 'paper', 'scissors'] as const;
export type RpsPick = (typeof PICKS)[number];

/** Which seat won, or a draw. */
export type DuelOutcome = 'a' | 'b' | 'draw';
/** A settled duel: an outcome, or `void` when neither seat picked in time (both refunded, no rake). */
export type DuelResult = DuelOutcome | 'void';

/** Default rake: 2 % of the pot, taken only from a decided duel. */
export const DEFAULT_RAKE_BPS = 200;

const BEATS: Record<RpsPick, RpsPick> = { rock: 'scissors', paper: 'rock', scissors: 'paper' };

/** True for a valid pick (for parsing client messages). */
export function isPick(value: unknown): value is RpsPick {
  return typeof value === 'string' && (PICKS as readonly string[]).includes(value);
}

/** The winner of two picks: rock beats scissors, paper beats rock, scissors beats paper. */
export function decideDuel(a: RpsPick, b: RpsPick): DuelOutcome {
  if (a === b) return 'draw';
  return BEATS[a] === b ? 'a' : 'b';
}

/**
 * The result with forfeits: `null` is a seat that did not pick in time and loses as if beaten; when both
 * seats forfeit the duel is `void` and both stakes are refunded.
 */
export function resolveDuel(a: RpsPick | null, b: RpsPick | null): DuelResult {
  if (a === null && b === null) return 'void';
  if (a === null) return 'b';
  if (b === null) return 'a';
  return decideDuel(a, b);
}

/** The house's pick from one fair float f in [0, 1): PICKS[floor(f × 3)] (rock, paper, scissors). */
export function housePick(float: number): RpsPick {
  if (!(float >= 0 && float < 1)) throw new Error(`A float in [0, 1) is required, got ${float}.`);
  return PICKS[Math.floor(float * 3)];
}

export interface DuelSettlement {
  /** 2 × stake, integer minor units */
  pot: number;
  /** floor(pot × rakeBps / 10000) on a decided duel, 0 on a draw or void */
  rake: number;
  /** what each seat is credited back; payouts.a + payouts.b + rake = pot */
  payouts: { a: number; b: number };
}

/**
 * Splits the pot of a duel (stake per seat, integer minor units > 0; rakeBps integer 0..10000): the winner
 * gets pot − rake, the loser 0; a draw or void returns each stake with no rake.
 */
export function settleDuel(s: { stake: number; outcome: DuelResult; rakeBps?: number }): DuelSettlement {
  const rakeBps = s.rakeBps ?? DEFAULT_RAKE_BPS;
  if (!Number.isSafeInteger(s.stake) || s.stake <= 0 || !Number.isSafeInteger(2 * s.stake)) {
    throw new DomainError('request/invalid', `A stake must be a positive integer, got ${s.stake}.`, { stake: s.stake });
  }
  if (!Number.isSafeInteger(rakeBps) || rakeBps < 0 || rakeBps > 10000) {
    throw new DomainError('request/invalid', `Rake must be 0..10000 bps, got ${rakeBps}.`, { rakeBps });
  }
  const pot = 2 * s.stake;
  if (s.outcome === 'draw' || s.outcome === 'void') return { pot, rake: 0, payouts: { a: s.stake, b: s.stake } };
  // BigInt: pot × rakeBps may pass 2^53 for large stakes, and the floor must be exact
  const rake = Number((BigInt(pot) * BigInt(rakeBps)) / 10000n);
  const win = pot - rake;
  return { pot, rake, payouts: s.outcome === 'a' ? { a: win, b: 0 } : { a: 0, b: win } };
}
