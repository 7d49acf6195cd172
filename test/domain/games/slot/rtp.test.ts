import { expect } from 'chai';
import type { SlotMachine } from '../../../../domain/games/slot/machine.ts';
import { SLOT_V1 } from '../../../../domain/games/slot/machine.ts';
import type { SlotStats } from '../../../../domain/games/slot/rtp.ts';
import { SLOT_V1_STATS } from '../../../../domain/games/slot/published.ts';
import { computeSlotStats, describeSlotMachine } from '../../../../domain/games/slot/rtp.ts';
import { MAX_FREE_SPINS_PER_ROUND } from '../../../../domain/games/slot/round.ts';
import { spinSlot } from '../../../../domain/games/slot/rules.ts';

/**
 * A small machine for ground-truth checks: 8·7·7·7·8 = 21,952 stop combinations, wilds on every reel
 * (so wild-only lines and the wild/lead ambiguity both occur), scatters frequent enough to retrigger.
 */
const TOY_MACHINE: SlotMachine = {
  version: 'toy',
  rows: 3,
  wild: 'W',
  scatter: 'S',
  strips: [
    ['A', 'W', 'C', 'B', 'S', 'C', 'A', 'B'],
    ['B', 'C', 'W', 'A', 'S', 'B', 'C'],
    ['W', 'A', 'C', 'S', 'B', 'C', 'A'],
    ['C', 'B', 'S', 'A', 'W', 'C', 'B'],
    ['B', 'S', 'C', 'W', 'A', 'C', 'A', 'S'],
  ],
  paylines: [
    [1, 1, 1, 1, 1],
    [0, 0, 0, 0, 0],
    [2, 2, 2, 2, 2],
    [0, 1, 2, 1, 0],
    [2, 1, 0, 1, 2],
  ],
  paytable: { A: [2, 5, 10], B: [3, 8, 20], C: [1, 2, 4], W: [10, 30, 100] },
  scatterPays: [1, 2, 5],
  freeSpinAwards: [1, 2, 3],
  freeSpinMultiplier: 2,
  betLevels: [1, 5],
};

/** Per spin outcome class: probability, payout at bet 1 per line, scatters shown, free spins awarded. */
interface OutcomeClass {
  p: number;
  payout: number;
  scatters: number;
  awarded: number;
}

/** Brute force: every stop combination of `machine`, played through `spinSlot`, grouped by outcome class. */
function enumerateOutcomes(machine: SlotMachine, freeSpin: boolean): OutcomeClass[] {
  const lengths = machine.strips.map((s) => s.length);
  const total = lengths.reduce((a, b) => a * b, 1);
  const classes = new Map<string, OutcomeClass>();
  const stops = new Array<number>(lengths.length).fill(0);
  for (let i = 0; i < total; i++) {
    let rest = i;
    for (let r = 0; r < lengths.length; r++) {
      stops[r] = rest % lengths[r];
      rest = Math.floor(rest / lengths[r]);
    }
    const out = spinSlot(
      machine,
      stops.map((s, r) => (s + 0.5) / lengths[r]),
      machine.betLevels[0],
      { freeSpin },
    );
    const key = `${out.totalPayout}:${out.scatterCount}`;
    const known = classes.get(key);
    if (known) known.p++;
    else classes.set(key, { p: 1, payout: out.totalPayout, scatters: out.scatterCount, awarded: out.freeSpinsAwarded });
  }
  return [...classes.values()].map((c) => ({ ...c, p: c.p / total }));
}

/**
 * Ground truth for the free-spin feature, independent of the forward walk in rtp.ts: a recursion on the free spins
 * the round may still play (its cap). M1[k], M2[k] = first and second moments of the total payout of k pending spins
 * with `budget` spins left; pending beyond the budget plays like exactly `budget` pending, so k is clamped there.
 */
function featureMoments(free: OutcomeClass[], budget: number): { m1: number[]; m2: number[] } {
  let m1 = new Array<number>(budget + 1).fill(0),
    m2 = new Array<number>(budget + 1).fill(0);
  for (let left = 1; left <= budget; left++) {
    const n1 = [0],
      n2 = [0];
    for (let k = 1; k <= budget; k++) {
      let a = 0,
        b = 0;
      for (const { p, payout: y, awarded } of free) {
        const next = Math.min(budget, k - 1 + awarded);
        a += p * (y + m1[next]);
        b += p * (y * y + 2 * y * m1[next] + m2[next]);
      }
      n1.push(a);
      n2.push(b);
    }
    m1 = n1;
    m2 = n2;
  }
  return { m1, m2 };
}

describe('slot rtp', () => {
  describe('computeSlotStats on a toy machine, against brute-force enumeration through spinSlot', () => {
    const lines = TOY_MACHINE.paylines.length;
    let base: OutcomeClass[], free: OutcomeClass[], stats: SlotStats;
    before(() => {
      base = enumerateOutcomes(TOY_MACHINE, false);
      free = enumerateOutcomes(TOY_MACHINE, true);
      stats = computeSlotStats(TOY_MACHINE);
    });
    const mean = (f: (c: OutcomeClass) => number): number => base.reduce((acc, c) => acc + c.p * f(c), 0);

    it('matches the base game exactly: return, hit frequency, trigger probability, spread', () => {
      expect(stats.combinations).to.equal(8 * 7 * 7 * 7 * 8);
      expect(stats.baseGameRtp).to.be.closeTo(mean((c) => c.payout) / lines, 1e-12);
      expect(stats.hitFrequency).to.be.closeTo(
        mean((c) => (c.payout > 0 ? 1 : 0)),
        1e-12,
      );
      expect(stats.freeSpinTriggerProbability).to.be.closeTo(
        mean((c) => (c.awarded > 0 ? 1 : 0)),
        1e-12,
      );
      expect(stats.expectedAwardPerSpin).to.be.closeTo(
        mean((c) => c.awarded),
        1e-12,
      );
      const variance = mean((c) => c.payout ** 2) - mean((c) => c.payout) ** 2;
      expect(stats.baseGameVolatility).to.be.closeTo(Math.sqrt(variance) / lines, 1e-10);
      expect(stats.lineRtp + stats.scatterRtp).to.be.closeTo(stats.baseGameRtp, 1e-12);
      const scatters = stats.scatterCountProbabilities.map((_, c) => mean((o) => (o.scatters === c ? 1 : 0)));
      expect(stats.scatterCountProbabilities).to.have.length(7);
      stats.scatterCountProbabilities.forEach((p, c) => expect(p).to.be.closeTo(scatters[c], 1e-12));
    });

    it('matches the free-spin feature (with retriggers, up to the round cap) computed by recursion', () => {
      const { m1, m2 } = featureMoments(free, MAX_FREE_SPINS_PER_ROUND);
      const eX = mean((c) => c.payout + m1[c.awarded]);
      const eX2 = mean((c) => c.payout ** 2 + 2 * c.payout * m1[c.awarded] + m2[c.awarded]);
      expect(stats.rtp).to.be.closeTo(eX / lines, 1e-9);
      expect(stats.freeSpinRtp).to.be.closeTo(stats.rtp - stats.baseGameRtp, 1e-12);
      expect(stats.volatility).to.be.closeTo(Math.sqrt(eX2 - eX * eX) / lines, 1e-8);
      expect(stats.freeSpinMeanPayout).to.be.closeTo(free.reduce((a, c) => a + c.p * c.payout, 0) / lines, 1e-12);
    });
  });

  describe('SLOT_V1', () => {
    let stats: SlotStats;
    before(() => {
      stats = computeSlotStats(SLOT_V1);
    });

    it('has an exact RTP between 95 % and 97 %, split into base game and free spins', () => {
      console.log(
        `      slot-v1: ${JSON.stringify({ ...stats, scatterCountProbabilities: stats.scatterCountProbabilities.map((p) => +p.toPrecision(4)) })}`,
      );
      expect(stats.rtp).to.be.within(0.95, 0.97);
      expect(stats.rtp, 'a published version never changes').to.be.closeTo(0.958566, 1e-6);
      expect(stats.baseGameRtp + stats.freeSpinRtp).to.be.closeTo(stats.rtp, 1e-12);
      expect(stats.lineRtp + stats.scatterRtp).to.be.closeTo(stats.baseGameRtp, 1e-12);
      expect(stats.scatterCountProbabilities.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
      expect(stats.hitFrequency).to.be.within(0.1, 0.6);
      expect(stats.expectedAwardPerSpin).to.be.below(1);
    });

    it('keeps its published figures equal to the exact enumeration (published.ts)', () => {
      const { scatterCountProbabilities, ...figures } = SLOT_V1_STATS;
      expect(Object.keys(SLOT_V1_STATS)).to.have.members(Object.keys(stats));
      for (const [name, value] of Object.entries(figures)) {
        const exact = stats[name as keyof SlotStats];
        if (typeof value === 'number') expect(value, name).to.be.closeTo(exact as number, 1e-12 * Math.max(1, Math.abs(value)));
        else expect(value, name).to.equal(exact);
      }
      expect(scatterCountProbabilities).to.have.length(stats.scatterCountProbabilities.length);
      scatterCountProbabilities.forEach((p, c) => expect(p, `${c} scatters`).to.be.closeTo(stats.scatterCountProbabilities[c], 1e-15));
      expect(describeSlotMachine(SLOT_V1, SLOT_V1_STATS)).to.deep.equal(describeSlotMachine(SLOT_V1, stats));
      expect(() => describeSlotMachine({ ...SLOT_V1, version: 'slot-v2' }, SLOT_V1_STATS)).to.throw(/slot-v1 given for slot-v2/);
    });

    it('publishes the rules with the statistics', () => {
      const sheet = describeSlotMachine(SLOT_V1);
      expect(sheet.version).to.equal('slot-v1');
      expect(sheet.rtp).to.equal(stats.rtp);
      expect(sheet.hitFrequency).to.equal(stats.hitFrequency);
      expect(sheet.volatility).to.equal(stats.volatility);
      expect(sheet.strips).to.deep.equal(SLOT_V1.strips);
      expect(sheet.paylines).to.deep.equal(SLOT_V1.paylines);
      expect(sheet.paytable).to.deep.equal(SLOT_V1.paytable);
      expect(JSON.parse(JSON.stringify(sheet))).to.deep.equal(sheet);
    });
  });
});
