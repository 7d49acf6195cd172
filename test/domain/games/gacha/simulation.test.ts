import { expect } from 'chai';
import { findBanner, type Banner } from '../../../../domain/games/gacha/banners.ts';
import { effectiveTopRate } from '../../../../domain/games/gacha/odds.ts';
import { pullGacha, type GachaPity } from '../../../../domain/games/gacha/rules.ts';
import { roundFloats } from '../../../../domain/rng/fair.ts';

const SERVER_SEED = 'b7e3d1f09a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3d';

/** Plays `pulls` pulls as rounds of `size` with fair floats (one nonce per round); legendary count and longest gap. */
function simulate(banner: Banner, size: 1 | 10, pulls: number): { tops: number; maxRun: number } {
  let pity: GachaPity = { sinceTop: 0 };
  let tops = 0;
  let run = 0;
  let maxRun = 0;
  for (let nonce = 0; nonce < pulls / size; nonce++) {
    const r = pullGacha(banner, pity, roundFloats({ serverSeed: SERVER_SEED, clientSeed: `sim-${banner.id}`, nonce }, 2 * size), size);
    for (const p of r.pulls) {
      run++;
      if (p.rarity === 'legendary') {
        tops++;
        maxRun = Math.max(maxRun, run);
        run = 0;
      }
    }
    pity = r.pityAfter;
  }
  return { tops, maxRun: Math.max(maxRun, run) };
}

/**
 * 4 binomial standard errors, sqrt(p(1 − p)/n). Pity makes the gaps less variable than independent trials,
 * so the true spread of the count is smaller and this bound is conservative.
 */
function tolerance(p: number, n: number): number {
  return 4 * Math.sqrt((p * (1 - p)) / n);
}

describe('domain/games/gacha simulation (fixed seeds)', function () {
  this.timeout(60000);

  it('matches the exact effective legendary rate over 500k single pulls, never going past 90', () => {
    const banner = findBanner('neon-standard');
    const n = 500_000;
    const { tops, maxRun } = simulate(banner, 1, n);
    const exact = effectiveTopRate(banner);
    expect(tops / n).to.be.closeTo(exact, tolerance(exact, n));
    expect(maxRun).to.be.at.most(90).and.at.least(75);
  });

  it('matches the exact 10-pull rate over 500k pulls in 10-pulls, never going past 90', () => {
    const banner = findBanner('cyber-premium');
    const n = 500_000;
    const { tops, maxRun } = simulate(banner, 10, n);
    const exact = effectiveTopRate(banner, 10);
    expect(tops / n).to.be.closeTo(exact, tolerance(exact, n));
    expect(maxRun).to.be.at.most(90).and.at.least(75);
  });
});
