import { expect } from 'chai';
import { advanceProgress, contributionOf, isComplete, METRICS, parseCondition } from '../../../domain/liveops/conditions.ts';
import type { Condition, Metric, SessionTotals } from '../../../domain/liveops/conditions.ts';
import { DomainError } from '../../../domain/shared/errors.ts';

const slotSession: SessionTotals = { game: 'slot', rounds: 12, wagered: 1200, won: 900, wins: 5, biggestMultiplier: 350, pulls: 0 };
const EXPECTED: Record<Metric, number> = { rounds: 12, wagered: 1200, won: 900, wins: 5, biggest_multiplier: 350, pulls: 0, sessions: 1 };

function expectInvalid(json: unknown): void {
  try {
    parseCondition(json);
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    expect((e as DomainError).code).to.equal('request/invalid');
    return;
  }
  expect.fail(`accepted ${JSON.stringify(json)}`);
}

describe('domain/liveops conditions', () => {
  it('parses valid conditions, with and without a game filter', () => {
    expect(parseCondition({ metric: 'rounds', target: 10 })).to.deep.equal({ metric: 'rounds', target: 10 });
    expect(parseCondition({ metric: 'pulls', game: 'gacha', target: 3 })).to.deep.equal({ metric: 'pulls', game: 'gacha', target: 3 });
  });

  it('rejects bad metrics, targets, games and shapes', () => {
    expectInvalid({ metric: 'jackpots', target: 1 });
    expectInvalid({ metric: 'rounds', target: -5 });
    expectInvalid({ metric: 'rounds', target: 0 });
    expectInvalid({ metric: 'rounds', target: 2.5 });
    expectInvalid({ metric: 'rounds', target: '10' });
    expectInvalid({ metric: 'rounds', game: 'poker', target: 10 });
    expectInvalid({ metric: 'rounds', target: 10, extra: true });
    expectInvalid({ target: 10 });
    expectInvalid(null);
    expectInvalid('rounds');
  });

  it('contributes every metric when the game matches or no filter is set', () => {
    for (const metric of METRICS) {
      expect(contributionOf({ metric, target: 1 }, slotSession), metric).to.equal(EXPECTED[metric]);
      expect(contributionOf({ metric, game: 'slot', target: 1 }, slotSession), metric).to.equal(EXPECTED[metric]);
    }
    const gacha: SessionTotals = { game: 'gacha', rounds: 4, wagered: 400, won: 0, wins: 0, biggestMultiplier: 0, pulls: 40 };
    expect(contributionOf({ metric: 'pulls', game: 'gacha', target: 1 }, gacha)).to.equal(40);
  });

  it('contributes nothing for every metric when the game filter does not match', () => {
    for (const metric of METRICS) {
      expect(contributionOf({ metric, game: 'crash', target: 1 }, slotSession), metric).to.equal(0);
    }
  });

  it('sums additive metrics and keeps the raw value past the target', () => {
    const cond: Condition = { metric: 'wagered', target: 2000 };
    const first = advanceProgress(0, cond, slotSession);
    expect(first).to.deep.equal({ progress: 1200, changed: true });
    const second = advanceProgress(first.progress, cond, slotSession);
    expect(second).to.deep.equal({ progress: 2400, changed: true });
    expect(isComplete(second.progress, cond)).to.equal(true);
    expect(advanceProgress(7, { metric: 'sessions', target: 3 }, slotSession)).to.deep.equal({ progress: 8, changed: true });
  });

  it('takes the max for biggest_multiplier (hundredths)', () => {
    const cond: Condition = { metric: 'biggest_multiplier', target: 500 };
    expect(advanceProgress(0, cond, slotSession)).to.deep.equal({ progress: 350, changed: true });
    expect(advanceProgress(400, cond, slotSession)).to.deep.equal({ progress: 400, changed: false });
    expect(advanceProgress(350, cond, slotSession)).to.deep.equal({ progress: 350, changed: false });
    expect(advanceProgress(200, cond, { ...slotSession, biggestMultiplier: 1250 })).to.deep.equal({ progress: 1250, changed: true });
  });

  it('reports no change when a session adds nothing', () => {
    expect(advanceProgress(5, { metric: 'rounds', game: 'rps', target: 10 }, slotSession)).to.deep.equal({ progress: 5, changed: false });
    expect(advanceProgress(5, { metric: 'pulls', target: 10 }, slotSession)).to.deep.equal({ progress: 5, changed: false });
  });

  it('is complete exactly at the target', () => {
    const cond: Condition = { metric: 'wins', target: 5 };
    expect(isComplete(4, cond)).to.equal(false);
    expect(isComplete(5, cond)).to.equal(true);
    expect(isComplete(6, cond)).to.equal(true);
  });
});
