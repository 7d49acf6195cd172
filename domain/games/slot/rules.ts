import { DomainError } from '../../shared/errors.ts';
import type { SlotMachine } from './machine.ts';

/** A spin consumes floats 0..4 of its round, one per reel (DESIGN §4a). */
export const SLOT_FLOATS_PER_SPIN = 5;

/** One paying line: its best combination only. */
export interface LineWin {
  /** index into `machine.paylines` */
  line: number;
  /** the paying symbol; the wild id when a wild-only run paid */
  symbol: string;
  /** how many reels from the left the combination spans (3..5) */
  count: number;
  /** integer minor units, free-spin multiplier included */
  payout: number;
}

/** The full, plain result of one spin (paid or free). Amounts are integer minor units. */
export interface SpinOutcome {
  version: string;
  freeSpin: boolean;
  betPerLine: number;
  /** betPerLine × lines for a paid spin, 0 for a free spin (it costs nothing) */
  totalBet: number;
  /** reel i stops at floor(floats[i] × strip length i) */
  stops: number[];
  /** grid[row][reel]: row r of reel i shows strip[(stop + r) mod length] */
  grid: string[][];
  lineWins: LineWin[];
  /** scatters visible anywhere on the grid */
  scatterCount: number;
  scatterPayout: number;
  freeSpinsAwarded: number;
  /** the win multiplier applied to this spin (1 on a paid spin) */
  multiplier: number;
  /** sum of line wins and the scatter payout */
  totalPayout: number;
}

/** The best combination of one line, as a multiple of the bet per line (before any free-spin multiplier). */
export interface LineCombination {
  symbol: string;
  count: number;
  multiple: number;
}

/** True when `betPerLine` (GOLD minor units) is one of the machine's bet levels. */
export function isBetLevel(machine: SlotMachine, betPerLine: number): boolean {
  return machine.betLevels.includes(betPerLine);
}

/** Throws `request/invalid` unless `betPerLine` (GOLD minor units) is one of the machine's bet levels. */
export function assertBetLevel(machine: SlotMachine, betPerLine: number): void {
  if (!isBetLevel(machine, betPerLine)) {
    throw new DomainError('request/invalid', `Bet per line must be one of ${machine.betLevels.join(', ')}, got ${betPerLine}.`, {
      betPerLine,
      betLevels: [...machine.betLevels],
    });
  }
}

/** The cost of a paid spin: betPerLine × number of paylines (minor units). */
export function computeTotalBet(machine: SlotMachine, betPerLine: number): number {
  return betPerLine * machine.paylines.length;
}

/** The line pay of `symbol` × `count` as a multiple of the bet per line; 0 below 3 of a kind. */
export function getLinePayMultiple(machine: SlotMachine, symbol: string, count: number): number {
  if (count < 3) return 0;
  return machine.paytable[symbol]?.[Math.min(count, 5) - 3] ?? 0;
}

/** The scatter pay for `count` scatters anywhere, as a multiple of the TOTAL bet; 0 below 3. */
export function getScatterPayMultiple(machine: SlotMachine, count: number): number {
  return count < 3 ? 0 : machine.scatterPays[Math.min(count, 5) - 3];
}

/** Free spins awarded for `count` scatters anywhere (3, 4, 5+); 0 below 3. */
export function getFreeSpinAward(machine: SlotMachine, count: number): number {
  return count < 3 ? 0 : machine.freeSpinAwards[Math.min(count, 5) - 3];
}

/**
 * The best combination of a line's symbols (left to right), or null when it pays nothing. Two readings
 * compete: the leading wilds alone (paid from the wild's own paytable row), and the first non-wild symbol
 * extended by every wild or equal symbol after it (wilds never stand in for the scatter). The higher pays.
 */
export function evaluateLine(machine: SlotMachine, symbols: readonly string[]): LineCombination | null {
  let wilds = 0;
  while (wilds < symbols.length && symbols[wilds] === machine.wild) wilds++;
  let best: LineCombination | null = null;
  const wildMultiple = getLinePayMultiple(machine, machine.wild, wilds);
  if (wildMultiple > 0) best = { symbol: machine.wild, count: wilds, multiple: wildMultiple };
  const lead = symbols[wilds];
  if (lead === undefined || lead === machine.scatter) return best;
  let count = wilds + 1;
  while (count < symbols.length && (symbols[count] === lead || symbols[count] === machine.wild)) count++;
  const multiple = getLinePayMultiple(machine, lead, count);
  if (multiple > (best?.multiple ?? 0)) best = { symbol: lead, count, multiple };
  return best;
}

/** The visible grid (grid[row][reel]) for the given reel stops. */
export function toGrid(machine: SlotMachine, stops: readonly number[]): string[][] {
  return Array.from({ length: machine.rows }, (_, row) => machine.strips.map((strip, reel) => strip[(stops[reel] + row) % strip.length]));
}

/** Reel stops from the round's floats: stop_i = floor(f_i × strip length_i), each f_i in [0, 1). */
export function toStops(machine: SlotMachine, floats: readonly number[]): number[] {
  if (floats.length < machine.strips.length) throw new Error(`A slot spin needs ${machine.strips.length} floats, got ${floats.length}.`);
  return machine.strips.map((strip, reel) => {
    const f = floats[reel];
    if (!(f >= 0 && f < 1)) throw new Error(`Float ${reel} is outside [0, 1): ${f}.`);
    return Math.floor(f * strip.length);
  });
}

/**
 * Plays one spin (DESIGN §4a). `betPerLine` is in GOLD minor units and must be a bet level; a free spin
 * is played at the triggering bet, costs 0, multiplies every win by `machine.freeSpinMultiplier`, and may
 * award more free spins (retriggers are allowed). Payouts are integers.
 */
export function spinSlot(
  machine: SlotMachine,
  floats: readonly number[],
  betPerLine: number,
  opts: { freeSpin?: boolean } = {},
): SpinOutcome {
  assertBetLevel(machine, betPerLine);
  const freeSpin = opts.freeSpin ?? false;
  const multiplier = freeSpin ? machine.freeSpinMultiplier : 1;
  const stops = toStops(machine, floats);
  const grid = toGrid(machine, stops);
  const lineWins = machine.paylines.flatMap((rows, line): LineWin[] => {
    const combination = evaluateLine(
      machine,
      rows.map((row, reel) => grid[row][reel]),
    );
    if (combination === null) return [];
    return [{ line, symbol: combination.symbol, count: combination.count, payout: betPerLine * combination.multiple * multiplier }];
  });
  const scatterCount = grid.reduce((n, row) => n + row.filter((s) => s === machine.scatter).length, 0);
  const lineStake = computeTotalBet(machine, betPerLine);
  const scatterPayout = lineStake * getScatterPayMultiple(machine, scatterCount) * multiplier;
  const totalPayout = lineWins.reduce((sum, win) => sum + win.payout, scatterPayout);
  return {
    version: machine.version,
    freeSpin,
    betPerLine,
    totalBet: freeSpin ? 0 : lineStake,
    stops,
    grid,
    lineWins,
    scatterCount,
    scatterPayout,
    freeSpinsAwarded: getFreeSpinAward(machine, scatterCount),
    multiplier,
    totalPayout,
  };
}
