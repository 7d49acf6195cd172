import { expect } from 'chai';
import { assertWithinBetLimits } from '../../../domain/games/bet-limits.ts';
import { BIG_WIN_MULTIPLIER_HUNDREDTHS, isBigWin, toMultiplierHundredths } from '../../../domain/games/payout.ts';

describe('payout multiplier and big wins', () => {
  it('gives the payout in hundredths of the bet, rounded down, and 0 for a round with no bet', () => {
    expect(toMultiplierHundredths(0, 20)).to.equal(0);
    expect(toMultiplierHundredths(20, 20)).to.equal(100);
    expect(toMultiplierHundredths(29, 20)).to.equal(145);
    expect(toMultiplierHundredths(1, 3)).to.equal(33);
    expect(toMultiplierHundredths(500, 0)).to.equal(0);
  });

  it('calls a round a big win from 20× its bet on', () => {
    expect(BIG_WIN_MULTIPLIER_HUNDREDTHS).to.equal(2000);
    expect(isBigWin(toMultiplierHundredths(399, 20))).to.equal(false);
    expect(isBigWin(toMultiplierHundredths(400, 20))).to.equal(true);
  });
});

describe('bet limits', () => {
  const limits = { min: 1, max: 500 };
  it('accepts amounts from min to max', () => {
    expect(() => assertWithinBetLimits(1, limits, 'A bet')).to.not.throw();
    expect(() => assertWithinBetLimits(500, limits, 'A bet')).to.not.throw();
  });

  it('refuses anything outside as request/invalid, naming what was refused', () => {
    expect(() => assertWithinBetLimits(501, limits, 'A stake'))
      .to.throw('A stake must be between 1 and 500.')
      .with.property('code', 'request/invalid');
    expect(() => assertWithinBetLimits(0, limits, "A spin's total bet")).to.throw("A spin's total bet must be between 1 and 500.");
  });
});
