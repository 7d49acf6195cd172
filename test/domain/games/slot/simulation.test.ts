import { expect } from 'chai';
import { SLOT_V1 } from '../../../../domain/games/slot/machine.ts';
import { computeSlotStats } from '../../../../domain/games/slot/rtp.ts';
import { SLOT_FLOATS_PER_SPIN, spinSlot } from '../../../../domain/games/slot/rules.ts';
import { roundFloats } from '../../../../domain/rng/fair.ts';

const SERVER_SEED = '5f0e3c2a9b8d7e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081';
const CLIENT_SEED = 'rtp-simulation';
const PAID_SPINS = 1_000_000;

describe('slot simulation (provably fair floats)', function () {
  this.timeout(180_000);

  it('lands within 5 standard errors of the exact RTP over 1,000,000 paid spins and their free spins', () => {
    const exact = computeSlotStats(SLOT_V1);
    const bet = SLOT_V1.betLevels[0];
    let nonce = 0,
      sum = 0,
      sumSq = 0,
      hits = 0,
      triggers = 0,
      freeSpins = 0;
    const play = (freeSpin: boolean) =>
      spinSlot(SLOT_V1, roundFloats({ serverSeed: SERVER_SEED, clientSeed: CLIENT_SEED, nonce: nonce++ }, SLOT_FLOATS_PER_SPIN), bet, {
        freeSpin,
      });
    const started = performance.now();
    for (let i = 0; i < PAID_SPINS; i++) {
      const paid = play(false);
      let payout = paid.totalPayout;
      let pending = paid.freeSpinsAwarded;
      if (paid.totalPayout > 0) hits++;
      if (pending > 0) triggers++;
      while (pending > 0) {
        const free = play(true);
        pending += free.freeSpinsAwarded - 1;
        payout += free.totalPayout;
        freeSpins++;
      }
      const x = payout / paid.totalBet;
      sum += x;
      sumSq += x * x;
    }
    const seconds = (performance.now() - started) / 1000;
    const n = PAID_SPINS;
    const measured = sum / n;
    const stdev = Math.sqrt((sumSq - n * measured ** 2) / (n - 1));
    const tolerance = (5 * stdev) / Math.sqrt(n);
    const hitRate = hits / n,
      hitTolerance = 5 * Math.sqrt((exact.hitFrequency * (1 - exact.hitFrequency)) / n);
    const triggerRate = triggers / n;
    const triggerTolerance = 5 * Math.sqrt((exact.freeSpinTriggerProbability * (1 - exact.freeSpinTriggerProbability)) / n);
    console.log(
      `      n=${n} paid + ${freeSpins} free spins in ${seconds.toFixed(1)} s: RTP ${measured.toFixed(5)} vs exact ${exact.rtp.toFixed(5)} ` +
        `(tolerance ±${tolerance.toFixed(5)}, stdev ${stdev.toFixed(3)} vs exact ${exact.volatility.toFixed(3)}); ` +
        `hit ${hitRate.toFixed(4)} vs ${exact.hitFrequency.toFixed(4)}; trigger ${triggerRate.toFixed(5)} vs ${exact.freeSpinTriggerProbability.toFixed(5)}`,
    );
    expect(Math.abs(measured - exact.rtp)).to.be.below(tolerance);
    expect(Math.abs(hitRate - exact.hitFrequency)).to.be.below(hitTolerance);
    expect(Math.abs(triggerRate - exact.freeSpinTriggerProbability)).to.be.below(triggerTolerance);
  });
});
