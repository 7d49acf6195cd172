import { computeJointLaw, type JointLaw } from './joint-law.ts';
import type { SlotMachine } from './machine.ts';
import { advanceFreeSpinChain, hasFreeSpinLeft, startFreeSpinChain } from './round.ts';
import { getFreeSpinAward, getScatterPayMultiple } from './rules.ts';

/**
 * Exact slot statistics (no sampling), for the round as played (round.ts): the exact law of one spin
 * (joint-law.ts), then the free-spin chain followed with the round's own rules, retriggers and cap included.
 * All money figures are per unit of total bet of the paid spin.
 */
export interface SlotStats {
  version: string;
  lines: number;
  /** product of strip lengths: the equally likely outcomes of one spin */
  combinations: number;
  /** expected return of a round: the paid spin and every free spin it leads to (retriggers included, up to the round's cap) */
  rtp: number;
  /** line + scatter pays of the paid spin itself */
  baseGameRtp: number;
  lineRtp: number;
  scatterRtp: number;
  /** the free spins a paid spin leads to, retriggers included, up to the round's cap */
  freeSpinRtp: number;
  /** P(paid spin pays > 0), line or scatter */
  hitFrequency: number;
  /** standard deviation of a round's payout (paid spin and every free spin played) / total bet */
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

/** Spins awarding the same number of free spins, over one spin at bet 1 per line (no multiplier): P, E[payout; class], E[payout²; class]. */
interface AwardClass {
  award: number;
  p: number;
  s1: number;
  s2: number;
}

/** Groups the scatter counts of the joint law by the free spins they award. */
function toAwardClasses(machine: SlotMachine, law: JointLaw, combinations: number): AwardClass[] {
  const classes = new Map<number, AwardClass>();
  law.n.forEach((n, c) => {
    const award = getFreeSpinAward(machine, c);
    const k = classes.get(award) ?? { award, p: 0, s1: 0, s2: 0 };
    k.p += n / combinations;
    k.s1 += law.sum[c] / combinations;
    k.s2 += law.sumSq[c] / combinations;
    classes.set(award, k);
  });
  return [...classes.values()];
}

/** Rounds whose chain is in one state: their probability, and E[S; state], E[S²; state] of their payout S so far. */
interface ChainMass {
  p: number;
  s1: number;
  s2: number;
}

/**
 * E[X], E[X²] and E[free spins played] of a whole round, X = its payout at bet 1 per line. The chain is followed state
 * by state with round.ts's rules (start, advance, cap), level by level of free spins played. A free spin is independent
 * of the chain so far and pays `multiplier` × a spin's payout, so with Y its payout: E[(S + Y)²] = E[S²] + 2E[S]E[Y] + E[Y²].
 */
function computeRoundMoments(classes: AwardClass[], multiplier: number): { eX: number; eX2: number; eFree: number } {
  const add = (level: Map<number, ChainMass>, pending: number, m: ChainMass) => {
    const at = level.get(pending);
    if (at) Object.assign(at, { p: at.p + m.p, s1: at.s1 + m.s1, s2: at.s2 + m.s2 });
    else level.set(pending, m);
  };
  let level = new Map<number, ChainMass>(); // the chains with `played` free spins played, by spins pending
  for (const k of classes) add(level, startFreeSpinChain(k.award).pending, { p: k.p, s1: k.s1, s2: k.s2 });
  let played = 0,
    eX = 0,
    eX2 = 0,
    eFree = 0;
  while (level.size > 0) {
    const next = new Map<number, ChainMass>();
    for (const [pending, m] of level) {
      const chain = { played, pending };
      if (!hasFreeSpinLeft(chain) || m.p === 0) {
        eX += m.s1;
        eX2 += m.s2;
        eFree += m.p * played;
        continue;
      }
      for (const k of classes) {
        const y1 = multiplier * k.s1,
          y2 = multiplier * multiplier * k.s2;
        add(next, advanceFreeSpinChain(chain, k.award).pending, {
          p: m.p * k.p,
          s1: m.s1 * k.p + m.p * y1,
          s2: m.s2 * k.p + 2 * m.s1 * y1 + m.p * y2,
        });
      }
    }
    level = next;
    played++;
  }
  return { eX, eX2, eFree };
}

/** Σ over scatter counts c of f(c) × g[c]. */
function sumOver(g: number[], f: (c: number) => number): number {
  return g.reduce((acc, v, c) => acc + f(c) * v, 0);
}

/**
 * Exact RTP, hit frequency and volatility of a machine (DESIGN §4), for a round as round.ts plays it: free spins use
 * the same strips, multiply wins by `freeSpinMultiplier`, may retrigger, and stop at MAX_FREE_SPINS_PER_ROUND.
 * Volatility is the standard deviation of X / total bet, X = a round's payout (paid spin and every free spin played).
 * Throws a plain Error if a spin awards one free spin or more on average (bad data: rounds would run to the cap).
 */
export function computeSlotStats(machine: SlotMachine): SlotStats {
  const law = computeJointLaw(machine);
  const lines = machine.paylines.length;
  const N = law.n.reduce((a, b) => a + b, 0);
  const award = (c: number): number => getFreeSpinAward(machine, c);
  const p = law.n.map((n) => n / N);
  const eB = sumOver(law.sum, () => 1) / N,
    eB2 = sumOver(law.sumSq, () => 1) / N;
  const eA = sumOver(p, award);
  if (eA >= 1) throw new Error(`Slot ${machine.version}: expected free spins awarded per spin is ${eA} ≥ 1; the feature never ends.`);
  const { eX, eX2, eFree } = computeRoundMoments(toAwardClasses(machine, law, N), machine.freeSpinMultiplier);
  const trigger = sumOver(p, (c) => (award(c) > 0 ? 1 : 0));
  return {
    version: machine.version,
    lines,
    combinations: N,
    rtp: eX / lines,
    baseGameRtp: eB / lines,
    lineRtp: law.lineSum / N / lines,
    scatterRtp: sumOver(p, (c) => getScatterPayMultiple(machine, c)),
    freeSpinRtp: (eX - eB) / lines,
    hitFrequency: law.hits / N,
    volatility: Math.sqrt(eX2 - eX * eX) / lines,
    baseGameVolatility: Math.sqrt(eB2 - eB * eB) / lines,
    freeSpinTriggerProbability: trigger,
    expectedFreeSpinsPerTrigger: trigger > 0 ? eFree / trigger : 0,
    expectedAwardPerSpin: eA,
    freeSpinMeanPayout: (machine.freeSpinMultiplier * eB) / lines,
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

/**
 * The published description of a machine (plain JSON): its rules with its exact statistics. `stats` defaults to the
 * exact computation (about a second for slot-v1); a server passes the kept figures (published.ts).
 */
export function describeSlotMachine(machine: SlotMachine, stats: Readonly<SlotStats> = computeSlotStats(machine)): SlotPaySheet {
  if (stats.version !== machine.version) throw new Error(`statistics of ${stats.version} given for ${machine.version}`);
  return {
    ...stats,
    scatterCountProbabilities: [...stats.scatterCountProbabilities],
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
