import { RARITIES, type Banner, type Rarity } from './banners.ts';

/**
 * Exact rarity odds of a banner under pity (DESIGN §4a "Gacha mapping"), and the long-run legendary rate
 * that pity produces. Rates are integer weights so a verifier can reproduce every draw with integer
 * arithmetic: P(rarity) = weights[rarity] / total.
 */

/** Integer weights per rarity; the probability of a rarity is its weight / `total` (reduced by their gcd). */
export interface RarityTable {
  weights: Record<Rarity, number>;
  total: number;
}

/** The pull size whose last pull is guaranteed rare-or-better when the first nine were all common. */
export const TEN_PULL = 10;

const BPS = 10000;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function reduce(weights: Record<Rarity, number>): RarityTable {
  const total = RARITIES.reduce((sum, r) => sum + weights[r], 0);
  const g = RARITIES.reduce((acc, r) => gcd(acc, weights[r]), total);
  const out = { ...weights };
  for (const r of RARITIES) out[r] = weights[r] / g;
  return { weights: out, total: total / g };
}

/**
 * Weights for the next pull after `sinceTop` pulls without a legendary (the pull is n = sinceTop + 1):
 * legendary p(n) = base for n < softStart, base + (1 − base)·(n − softStart + 1)/(hard − softStart + 1) for
 * softStart ≤ n ≤ hard (so 100 % at hard); the other rarities share 1 − p(n) in proportion to their base rates.
 */
export function buildRarityTable(banner: Banner, sinceTop: number): RarityTable {
  const { softStart, hard } = banner.pity;
  const span = hard - softStart + 1;
  const step = Math.min(span, Math.max(0, sinceTop + 1 - (softStart - 1)));
  const baseTop = banner.ratesBps.legendary;
  // p(n) × BPS·span, an integer: base·span + (BPS − base)·step
  const topScaled = baseTop * span + (BPS - baseTop) * step;
  const rest = BPS * span - topScaled;
  // common denominator BPS·span·(BPS − base): others get rest × base_r, which sums to rest × (BPS − base)
  return reduce({
    legendary: topScaled * (BPS - baseTop),
    epic: rest * banner.ratesBps.epic,
    rare: rest * banner.ratesBps.rare,
    common: rest * banner.ratesBps.common,
  });
}

/** The table conditioned on rare-or-better (the 10-pull guarantee): common's weight dropped, the rest renormalised. */
export function conditionRareOrBetter(table: RarityTable): RarityTable {
  return reduce({ ...table.weights, common: 0 });
}

/**
 * The rarity a float in [0, 1) selects: with u = floor(f × 2^32) (for a fair float, exactly the 32-bit
 * integer of its four bytes), the first rarity in RARITIES order whose cumulative weight W satisfies
 * u × total < W × 2^32, i.e. f < W / total compared exactly.
 */
export function pickRarity(table: RarityTable, float: number): Rarity {
  if (!(float >= 0 && float < 1)) throw new Error(`A float in [0, 1) is required, got ${float}.`);
  const lhs = BigInt(Math.floor(float * 2 ** 32)) * BigInt(table.total);
  let cumulative = 0;
  for (const rarity of RARITIES) {
    cumulative += table.weights[rarity];
    if (lhs < BigInt(cumulative) * 2n ** 32n) return rarity;
  }
  throw new Error('A rarity table must have a positive total.');
}

/** Expected pulls per legendary with single pulls: Σ_{n=1..hard} P(no legendary in the first n − 1 pulls). */
export function expectedPullsPerTop(banner: Banner): number {
  let reach = 1;
  let expected = 0;
  for (let sinceTop = 0; sinceTop < banner.pity.hard; sinceTop++) {
    expected += reach;
    const t = buildRarityTable(banner, sinceTop);
    reach *= (t.total - t.weights.legendary) / t.total;
  }
  return expected;
}

/**
 * The long-run share of pulls that are legendary, pity included (publishable). Single pulls: 1 / E[pulls per
 * legendary] (renewal argument). 10-pulls: the stationary distribution of the pity counter between 10-pulls,
 * since the guarantee on the 10th pull also raises its legendary chance.
 */
export function effectiveTopRate(banner: Banner, pullSize: 1 | 10 = 1): number {
  return pullSize === 1 ? 1 / expectedPullsPerTop(banner) : stationaryTopRate(banner, pullSize);
}

/** Legendary share per pull when every round is a `size`-pull, from the pity counter's stationary distribution. */
export function stationaryTopRate(banner: Banner, size: number): number {
  const steps = Array.from({ length: banner.pity.hard }, (_, s) => stepMultiPull(banner, s, size));
  const pi = solveStationary(steps.map((st) => st.next));
  return steps.reduce((sum, st, s) => sum + pi[s] * st.tops, 0) / size;
}

/** One multi-pull from pity `start`: the distribution of the pity counter after it and the expected legendaries. */
export function stepMultiPull(banner: Banner, start: number, size: number): { next: number[]; tops: number } {
  const h = banner.pity.hard;
  // cur[c][s]: probability of pity s, with c = 1 while every pull of this multi-pull so far was common
  let cur = [new Array<number>(h).fill(0), new Array<number>(h).fill(0)];
  cur[1][start] = 1;
  let tops = 0;
  for (let j = 0; j < size; j++) {
    const nxt = [new Array<number>(h).fill(0), new Array<number>(h).fill(0)];
    for (let c = 0; c < 2; c++) {
      for (let s = 0; s < h; s++) {
        const q = cur[c][s];
        if (q === 0) continue;
        const base = buildRarityTable(banner, s);
        const t = size === TEN_PULL && j === TEN_PULL - 1 && c === 1 ? conditionRareOrBetter(base) : base;
        const pTop = t.weights.legendary / t.total;
        tops += q * pTop;
        nxt[0][0] += q * pTop;
        if (s + 1 < h) {
          nxt[c][s + 1] += (q * t.weights.common) / t.total;
          nxt[0][s + 1] += (q * (t.total - t.weights.legendary - t.weights.common)) / t.total;
        }
      }
    }
    cur = nxt;
  }
  return { next: cur[0].map((p, s) => p + cur[1][s]), tops };
}

/** Stationary distribution π = πT of a row-stochastic matrix (Gauss–Jordan with partial pivoting). */
function solveStationary(t: number[][]): number[] {
  const n = t.length;
  // rows: (Tᵀ − I) π = 0, with the last equation replaced by Σπ = 1; column n is the right-hand side
  const a = Array.from({ length: n }, (_, i) => [...t.map((row, j) => row[i] - (i === j ? 1 : 0)), 0]);
  a[n - 1] = new Array<number>(n + 1).fill(1);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < n; r++) {
      if (r === col || a[r][col] === 0) continue;
      const f = a[r][col] / a[col][col];
      for (let k = col; k <= n; k++) a[r][k] -= f * a[col][k];
    }
  }
  return a.map((row, i) => row[n] / row[i]);
}
