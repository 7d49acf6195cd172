import type { SlotMachine } from './machine.ts';
import { getFreeSpinAward, getLinePayMultiple, getScatterPayMultiple } from './rules.ts';

/**
 * Exact slot statistics (no sampling). Reels are independent and each stop is uniform, so the base game is
 * the uniform distribution over all stop combinations. A depth-first walk over the reels (identical
 * windows merged) tracks every payline's partial combination and, once no line can still grow, sums the
 * remaining reels through their scatter-count distribution instead of enumerating them. The result is the
 * exact joint law of (base-spin payout, scatter count), from which the free-spin feature follows in closed
 * form. All money figures are per unit of total bet of the paid spin.
 */
export interface SlotStats {
  version: string;
  lines: number;
  /** product of strip lengths: the equally likely outcomes of one spin */
  combinations: number;
  /** expected return of a paid spin, free spins it triggers (with retriggers) included */
  rtp: number;
  /** line + scatter pays of the paid spin itself */
  baseGameRtp: number;
  lineRtp: number;
  scatterRtp: number;
  /** the free spins triggered by a paid spin, retriggers included */
  freeSpinRtp: number;
  /** P(paid spin pays > 0), line or scatter */
  hitFrequency: number;
  /** standard deviation of (paid spin payout + payout of all free spins it triggers) / total bet */
  volatility: number;
  /** standard deviation of the paid spin's own payout / total bet (feature excluded) */
  baseGameVolatility: number;
  /** P(a spin shows 3+ scatters) */
  freeSpinTriggerProbability: number;
  /** expected free spins played per trigger, retriggers included */
  expectedFreeSpinsPerTrigger: number;
  /** expected free spins awarded by one spin (< 1 or the feature would never end) */
  expectedAwardPerSpin: number;
  /** expected payout of one free spin alone, multiplier included */
  freeSpinMeanPayout: number;
  /** P(exactly c scatters visible), c = 0..reels × rows */
  scatterCountProbabilities: number[];
}

/** Per scatter count c: combinations, Σ payout and Σ payout² of a spin at bet 1 per line (no multiplier). */
interface JointLaw {
  n: number[];
  sum: number[];
  sumSq: number[];
  hits: number;
  lineSum: number;
}

interface Window {
  /** symbol codes, top to bottom */
  symbols: number[];
  scatters: number;
  /** how many stops show this window */
  weight: number;
}

/** Merges identical visible windows of each reel, symbols encoded as indices into `codes`. */
function toWindows(machine: SlotMachine, codes: Map<string, number>): Window[][] {
  return machine.strips.map((strip) => {
    const byKey = new Map<string, Window>();
    for (let stop = 0; stop < strip.length; stop++) {
      const shown = Array.from({ length: machine.rows }, (_, r) => strip[(stop + r) % strip.length]);
      const key = shown.join('|');
      const known = byKey.get(key);
      if (known) known.weight++;
      else
        byKey.set(key, {
          symbols: shown.map((s) => codes.get(s)!),
          scatters: shown.filter((s) => s === machine.scatter).length,
          weight: 1,
        });
    }
    return [...byKey.values()];
  });
}

/** suffix[k][c] = number of stop combinations of reels k.. showing c scatters (suffix[reels] = [1]). */
function toSuffixScatterCounts(windows: Window[][], rows: number): number[][] {
  const suffix: number[][] = [[1]];
  for (let k = windows.length - 1; k >= 0; k--) {
    const next = suffix[0];
    const dist = new Array<number>(next.length + rows).fill(0);
    for (const w of windows[k])
      next.forEach((q, c) => {
        dist[c + w.scatters] += q * w.weight;
      });
    suffix.unshift(dist);
  }
  return suffix;
}

/** Per-line state fields in the walk's Int32Arrays: still growing?, leading wilds, lead symbol (−1 none), count. */
const OPEN = 0,
  WILDS = 1,
  LEAD = 2,
  COUNT = 3,
  FIELDS = 4;

/**
 * The depth-first walk behind computeJointLaw. states[k] holds every line's partial combination after
 * reels 0..k−1; sums are integers (bet 1 per line), exact while below 2^53.
 */
class JointLawWalk {
  readonly law: JointLaw;
  private readonly pay: number[][];
  private readonly wild: number;
  private readonly scatter: number;
  private readonly windows: Window[][];
  private readonly suffix: number[][];
  private readonly states: Int32Array[];

  constructor(private readonly machine: SlotMachine) {
    const symbolIds = [...new Set(machine.strips.flat())];
    const codes = new Map(symbolIds.map((s, i) => [s, i]));
    this.wild = codes.get(machine.wild) ?? -1;
    this.scatter = codes.get(machine.scatter) ?? -1;
    this.pay = symbolIds.map((s) => [0, 1, 2, 3, 4, 5].map((count) => getLinePayMultiple(machine, s, count)));
    this.windows = toWindows(machine, codes);
    this.suffix = toSuffixScatterCounts(this.windows, machine.rows);
    const size = this.suffix[0].length;
    this.law = { n: new Array(size).fill(0), sum: new Array(size).fill(0), sumSq: new Array(size).fill(0), hits: 0, lineSum: 0 };
    const lines = machine.paylines.length;
    this.states = Array.from({ length: this.windows.length + 1 }, () => new Int32Array(lines * FIELDS));
    for (let l = 0; l < lines; l++) this.states[0].set([1, 0, -1, 0], l * FIELDS);
  }

  /** Enumerates reel k's windows below a prefix whose closed lines pay `linePay` and show `scatters`. */
  visit(k: number, linePay: number, scatters: number, weight: number): void {
    for (const win of this.windows[k]) {
      const { pays, open } = this.advanceLines(k, win);
      if (open) this.visit(k + 1, linePay + pays, scatters + win.scatters, weight * win.weight);
      else this.finish(k + 1, linePay + pays, scatters + win.scatters, weight * win.weight);
    }
  }

  /** Extends every open line by reel k's symbol; returns what the lines that ended pay and whether any is open. */
  private advanceLines(k: number, win: Window): { pays: number; open: boolean } {
    const src = this.states[k],
      dst = this.states[k + 1],
      last = k === this.windows.length - 1;
    let pays = 0,
      open = false;
    for (let l = 0; l < this.machine.paylines.length; l++) {
      const o = l * FIELDS;
      dst[o + OPEN] = 0;
      if (src[o + OPEN] === 0) continue;
      const sym = win.symbols[this.machine.paylines[l][k]];
      let wilds = src[o + WILDS],
        lead = src[o + LEAD],
        count = src[o + COUNT],
        ends = false;
      if (lead < 0 && sym === this.wild) {
        wilds++;
        count++;
      } else if (lead < 0 && sym !== this.scatter) {
        lead = sym;
        count++;
      } else if (lead >= 0 && (sym === lead || sym === this.wild)) count++;
      else ends = true;
      dst[o + WILDS] = wilds;
      dst[o + LEAD] = lead;
      dst[o + COUNT] = count;
      if (ends || last) pays += Math.max(this.pay[this.wild]?.[wilds] ?? 0, lead >= 0 ? this.pay[lead][count] : 0);
      else {
        dst[o + OPEN] = 1;
        open = true;
      }
    }
    return { pays, open };
  }

  /** No line can grow: reels `from`.. only add scatters, summed through their scatter-count distribution. */
  private finish(from: number, linePay: number, scatters: number, weight: number): void {
    const lines = this.machine.paylines.length;
    this.suffix[from].forEach((q, r) => {
      if (q === 0) return;
      const c = scatters + r,
        w = weight * q;
      const b = linePay + lines * getScatterPayMultiple(this.machine, c);
      this.law.n[c] += w;
      this.law.sum[c] += w * b;
      this.law.sumSq[c] += w * b * b;
      this.law.lineSum += w * linePay;
      if (b > 0) this.law.hits += w;
    });
  }
}

/** The exact joint law of (payout at bet 1 per line, scatter count) over all stop combinations. */
function computeJointLaw(machine: SlotMachine): JointLaw {
  const walk = new JointLawWalk(machine);
  walk.visit(0, 0, 0, 1);
  return walk.law;
}

/** Σ over scatter counts c of f(c) × g[c]. */
function sumOver(g: number[], f: (c: number) => number): number {
  return g.reduce((acc, v, c) => acc + f(c) * v, 0);
}

/**
 * Exact RTP, hit frequency and volatility of a machine (DESIGN §4). Free spins use the same strips,
 * multiply wins by `freeSpinMultiplier` and may retrigger: the payout T of one free spin with all its
 * descendants solves E[T] = μ + m·E[T] and E[T²] = E[Y²] + 2E[Y·A]E[T] + m·E[T²] + E[A(A−1)]E[T]²
 * (Y = that spin's payout, A = spins it awards, m = E[A] < 1). Volatility is the standard deviation of
 * X / total bet, X = a paid spin's payout plus the payout of every free spin it triggers (retriggers
 * included). Figures are per unit of total bet. Throws a plain Error if m ≥ 1 (bad data).
 */
export function computeSlotStats(machine: SlotMachine): SlotStats {
  const law = computeJointLaw(machine);
  const lines = machine.paylines.length,
    mult = machine.freeSpinMultiplier;
  const N = law.n.reduce((a, b) => a + b, 0);
  const award = (c: number): number => getFreeSpinAward(machine, c);
  const p = law.n.map((n) => n / N);
  const eB = sumOver(law.sum, () => 1) / N,
    eB2 = sumOver(law.sumSq, () => 1) / N;
  const eA = sumOver(p, award),
    eAA1 = sumOver(p, (c) => award(c) * (award(c) - 1));
  const eBA = sumOver(law.sum, award) / N;
  if (eA >= 1) throw new Error(`Slot ${machine.version}: expected free spins awarded per spin is ${eA} ≥ 1; the feature never ends.`);
  const eT = (mult * eB) / (1 - eA);
  const eT2 = (mult * mult * eB2 + 2 * mult * eBA * eT + eAA1 * eT * eT) / (1 - eA);
  const eX = eB + eA * eT;
  const eX2 = eB2 + 2 * eBA * eT + eA * eT2 + eAA1 * eT * eT;
  const trigger = sumOver(p, (c) => (award(c) > 0 ? 1 : 0));
  return {
    version: machine.version,
    lines,
    combinations: N,
    rtp: eX / lines,
    baseGameRtp: eB / lines,
    lineRtp: law.lineSum / N / lines,
    scatterRtp: sumOver(p, (c) => getScatterPayMultiple(machine, c)),
    freeSpinRtp: (eA * eT) / lines,
    hitFrequency: law.hits / N,
    volatility: Math.sqrt(eX2 - eX * eX) / lines,
    baseGameVolatility: Math.sqrt(eB2 - eB * eB) / lines,
    freeSpinTriggerProbability: trigger,
    expectedFreeSpinsPerTrigger: trigger > 0 ? eA / trigger / (1 - eA) : 0,
    expectedAwardPerSpin: eA,
    freeSpinMeanPayout: (mult * eB) / lines,
    scatterCountProbabilities: p.slice(0, p.findLastIndex((x) => x > 0) + 1),
  };
}

/** What the API publishes for a machine version: its complete rules and exact statistics. */
export interface SlotPaySheet extends SlotStats {
  reels: number;
  rows: number;
  wild: string;
  scatter: string;
  strips: string[][];
  paylines: number[][];
  paytable: Record<string, number[]>;
  scatterPays: number[];
  freeSpinAwards: number[];
  freeSpinMultiplier: number;
  betLevels: number[];
}

/** The published description of a machine (plain JSON). Runs the exact computation: compute once and cache. */
export function describeSlotMachine(machine: SlotMachine): SlotPaySheet {
  return {
    ...computeSlotStats(machine),
    reels: machine.strips.length,
    rows: machine.rows,
    wild: machine.wild,
    scatter: machine.scatter,
    strips: machine.strips.map((strip) => [...strip]),
    paylines: machine.paylines.map((line) => [...line]),
    paytable: Object.fromEntries(Object.entries(machine.paytable).map(([symbol, pays]) => [symbol, [...pays]])),
    scatterPays: [...machine.scatterPays],
    freeSpinAwards: [...machine.freeSpinAwards],
    freeSpinMultiplier: machine.freeSpinMultiplier,
    betLevels: [...machine.betLevels],
  };
}
