import { expect } from 'chai';
import { CURVE_K_PER_MS, DOUBLING_MS, msToReach, multiplierAt } from '../../../../domain/games/crash/curve.ts';

describe('domain/games/crash curve', () => {
  it('starts at 1.00x and reaches 2.00x at 8 s (k = ln 2 / 8000 per ms)', () => {
    expect(multiplierAt(0)).to.equal(100);
    expect(multiplierAt(-50)).to.equal(100);
    expect(multiplierAt(7999)).to.equal(199);
    expect(multiplierAt(8000)).to.equal(200);
    expect(multiplierAt(16000)).to.equal(400);
    expect(msToReach(200)).to.equal(8000);
    expect(DOUBLING_MS).to.equal(8000);
    expect(CURVE_K_PER_MS).to.be.closeTo(8.664e-5, 1e-8);
    expect(Math.exp(CURVE_K_PER_MS * 8000)).to.be.closeTo(2, 1e-12);
  });

  it('matches floor(100 × e^(k·t)) away from exact integers', () => {
    for (const t of [1, 123, 1000, 5555, 12345, 30000, 60000]) {
      expect(multiplierAt(t)).to.equal(Math.floor(100 * Math.exp(CURVE_K_PER_MS * t)));
    }
  });

  it('is integer and monotonic non-decreasing over every millisecond of two minutes', () => {
    let prev = 100;
    for (let t = 0; t <= 120_000; t++) {
      const m = multiplierAt(t);
      expect(Number.isInteger(m)).to.equal(true);
      if (m < prev) expect.fail(`multiplierAt(${t}) = ${m} < ${prev}`);
      prev = m;
    }
    expect(prev).to.equal(Math.floor(100 * 2 ** 15));
  });

  it('inverts exactly: msToReach(m) is the first millisecond with multiplierAt ≥ m', () => {
    const targets = [...Array.from({ length: 9901 }, (_, i) => 100 + i), 12345, 99999, 1_000_000, 123_456_789, 10 ** 12];
    for (const m of targets) {
      const t = msToReach(m);
      if (multiplierAt(t) < m) expect.fail(`multiplierAt(msToReach(${m})) < ${m}`);
      if (t > 0 && multiplierAt(t - 1) >= m) expect.fail(`msToReach(${m}) = ${t} is not the first millisecond`);
    }
    expect(msToReach(100)).to.equal(0);
    expect(msToReach(101)).to.equal(115);
  });
});
