import type { SlotMachine } from './machine.ts';
import { getLinePayMultiple, getScatterPayMultiple } from './rules.ts';

/**
 * The exact law of one spin (no sampling). Reels are independent and each stop is uniform, so a spin is the
 * uniform distribution over all stop combinations. A depth-first walk over the reels (identical windows merged)
 * tracks every payline's partial combination and, once no line can still grow, sums the remaining reels through
 * their scatter-count distribution instead of enumerating them.
 */

/** Per scatter count c: combinations, Σ payout and Σ payout² of a spin at bet 1 per line (no multiplier). */
export interface JointLaw {
  n: number[];
  sum: number[];
  sumSq: number[];
  /** combinations that pay anything (line or scatter) */
  hits: number;
  /** Σ line pays alone over all combinations */
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
export function computeJointLaw(machine: SlotMachine): JointLaw {
  const walk = new JointLawWalk(machine);
  walk.visit(0, 0, 0, 1);
  return walk.law;
}
