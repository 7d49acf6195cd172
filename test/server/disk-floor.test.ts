import { expect } from 'chai';
import { residualQuantile } from '../../scripts/bench/slot-figures.ts';

describe('bench: the wait of a random moment behind the commit in progress', () => {
  it('is about a commit long when every commit is as long', () => {
    expect(residualQuantile(Array(1000).fill(1), 0.99)).to.be.closeTo(0.99, 0.01);
  });

  it('is decided by one long stall among many short commits', () => {
    // 1,000 commits of 1 ms and one of 300 ms: a moment falls in the stall 300 / 1,300 of the time, anywhere in it,
    // so 1 % of moments wait more than 300 − 13 ms
    const ms = [...Array(1000).fill(1), 300];
    expect(residualQuantile(ms, 0.99)).to.be.closeTo(287, 0.5);
    expect(residualQuantile(ms, 0.5)).to.be.closeTo(0.65, 0.01);
  });

  it('is 0 without commits', () => {
    expect(residualQuantile([], 0.99)).to.equal(0);
  });
});
