import { expect } from 'chai';
import { SLOT_V1, type SlotMachine } from '../../../../domain/games/slot/machine.ts';
import {
  advanceFreeSpinChain,
  computeRoundMultiplier,
  computeRoundPayout,
  hasFreeSpinLeft,
  MAX_FREE_SPINS_PER_ROUND,
  playNextFreeSpin,
  playSlotRound,
  startFreeSpinChain,
  startSlotRound,
} from '../../../../domain/games/slot/round.ts';
import { computeSlotStats } from '../../../../domain/games/slot/rtp.ts';
import { SLOT_FLOATS_PER_SPIN } from '../../../../domain/games/slot/rules.ts';

/** mulberry32: a small seeded PRNG, so a million rounds cost no hashing. Floats in [0, 1) with 32 bits. */
function seededFloats(seed: number): () => number[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return () => Array.from({ length: SLOT_FLOATS_PER_SPIN }, next);
}

/** Every stop shows scatters only: each spin awards free spins, so a round always runs into the cap. */
const ALL_SCATTERS: SlotMachine = {
  ...SLOT_V1,
  version: 'all-scatters',
  strips: SLOT_V1.strips.map(() => ['S', 'S', 'S']),
};

/** z of the two-sided 99.9 % band of a normal law. */
const Z_999 = 3.2905;

describe('slot round', () => {
  describe('free-spin chain', () => {
    it('starts with the spins the paid spin awarded and plays one per step, retriggers added', () => {
      let chain = startFreeSpinChain(10);
      expect(chain).to.deep.equal({ played: 0, pending: 10 });
      chain = advanceFreeSpinChain(chain, 15);
      expect(chain).to.deep.equal({ played: 1, pending: 24 });
      expect(hasFreeSpinLeft(chain)).to.equal(true);
      expect(hasFreeSpinLeft(startFreeSpinChain(0))).to.equal(false);
    });

    it('stops at the cap however many spins are still pending', () => {
      expect(hasFreeSpinLeft({ played: MAX_FREE_SPINS_PER_ROUND - 1, pending: 50 })).to.equal(true);
      expect(hasFreeSpinLeft({ played: MAX_FREE_SPINS_PER_ROUND, pending: 50 })).to.equal(false);
      const round = playSlotRound(ALL_SCATTERS, 1, () => [0.5, 0.5, 0.5, 0.5, 0.5]);
      expect(round.freeSpins).to.have.length(MAX_FREE_SPINS_PER_ROUND);
      expect(round.chain.pending).to.be.above(0);
      expect(() => playNextFreeSpin(ALL_SCATTERS, round, [0.5, 0.5, 0.5, 0.5, 0.5])).to.throw(/no free spin left/);
    });
  });

  describe('payout and multiplier', () => {
    it('sums the paid spin and every free spin; the multiplier is hundredths of the paid bet, rounded down', () => {
      const round = playSlotRound(ALL_SCATTERS, 2, () => [0, 0, 0, 0, 0]);
      const spin = round.paid.totalPayout;
      expect(round.bet).to.equal(2 * SLOT_V1.paylines.length);
      expect(round.freeSpins.every((f) => f.freeSpin && f.totalBet === 0 && f.multiplier === SLOT_V1.freeSpinMultiplier)).to.equal(true);
      expect(computeRoundPayout(round)).to.equal(spin + round.freeSpins.length * spin * SLOT_V1.freeSpinMultiplier);
      expect(computeRoundMultiplier(round)).to.equal(Math.floor((computeRoundPayout(round) * 100) / round.bet));
    });

    it('plays the paid spin alone when it awards no free spin', () => {
      const floats = seededFloats(7);
      let round = startSlotRound(SLOT_V1, 5, floats());
      while (round.paid.freeSpinsAwarded > 0) round = startSlotRound(SLOT_V1, 5, floats());
      expect(hasFreeSpinLeft(round.chain)).to.equal(false);
      expect(computeRoundPayout(round)).to.equal(round.paid.totalPayout);
    });
  });

  describe('RTP of the round as played', function () {
    this.timeout(60_000);

    it('lies inside the published RTP’s 99.9 % band over 1,000,000 seeded rounds', () => {
      const stats = computeSlotStats(SLOT_V1);
      const rounds = 1_000_000;
      const floats = seededFloats(20261202);
      let sum = 0,
        freeSpins = 0;
      const started = performance.now();
      for (let i = 0; i < rounds; i++) {
        const round = playSlotRound(SLOT_V1, 1, floats);
        sum += computeRoundPayout(round) / round.bet;
        freeSpins += round.freeSpins.length;
      }
      const seconds = (performance.now() - started) / 1000;
      const measured = sum / rounds;
      const halfWidth = (Z_999 * stats.volatility) / Math.sqrt(rounds);
      console.log(
        `      ${rounds} rounds (+ ${freeSpins} free spins) in ${seconds.toFixed(1)} s: RTP ${measured.toFixed(5)}, ` +
          `published ${stats.rtp.toFixed(5)} ± ${halfWidth.toFixed(5)} (99.9 %)`,
      );
      expect(measured).to.be.within(stats.rtp - halfWidth, stats.rtp + halfWidth);
    });
  });
});
