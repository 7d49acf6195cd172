import { expect } from 'chai';
import {
  decideDuel,
  housePick,
  isPick,
  PICKS,
  resolveDuel,
  settleDuel,
  type DuelResult,
  type RpsPick,
} from '../../../../domain/games/rps/rules.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { roundFloats } from '../../../../domain/rng/fair.ts';

describe('domain/games/rps', () => {
  describe('decideDuel', () => {
    const table: [RpsPick, RpsPick, string][] = [
      ['rock', 'rock', 'draw'],
      ['rock', 'paper', 'b'],
      ['rock', 'scissors', 'a'],
      ['paper', 'rock', 'a'],
      ['paper', 'paper', 'draw'],
      ['paper', 'scissors', 'b'],
      ['scissors', 'rock', 'b'],
      ['scissors', 'paper', 'a'],
      ['scissors', 'scissors', 'draw'],
    ];
    for (const [a, b, want] of table) {
      it(`gives ${want} for ${a} vs ${b}`, () => {
        expect(decideDuel(a, b)).to.equal(want);
        expect(resolveDuel(a, b)).to.equal(want);
      });
    }

    it('is antisymmetric: swapping seats swaps the winner', () => {
      const swap = { a: 'b', b: 'a', draw: 'draw' } as const;
      for (const a of PICKS) for (const b of PICKS) expect(decideDuel(b, a)).to.equal(swap[decideDuel(a, b)]);
    });
  });

  describe('forfeits', () => {
    it('makes a seat that did not pick lose as if beaten', () => {
      for (const p of PICKS) {
        expect(resolveDuel(p, null)).to.equal('a');
        expect(resolveDuel(null, p)).to.equal('b');
      }
    });

    it('voids the duel when both seats forfeit, refunding both without rake', () => {
      expect(resolveDuel(null, null)).to.equal('void');
      expect(settleDuel({ stake: 101, outcome: 'void' })).to.deep.equal({ pot: 202, rake: 0, payouts: { a: 101, b: 101 } });
    });

    it('settles a forfeit like a loss (rake taken)', () => {
      expect(settleDuel({ stake: 100, outcome: resolveDuel('rock', null) })).to.deep.equal({
        pot: 200,
        rake: 4,
        payouts: { a: 196, b: 0 },
      });
    });
  });

  describe('settleDuel', () => {
    it('pays the winner the pot minus a 2 % rake by default, the loser nothing', () => {
      expect(settleDuel({ stake: 1000, outcome: 'a' })).to.deep.equal({ pot: 2000, rake: 40, payouts: { a: 1960, b: 0 } });
      expect(settleDuel({ stake: 1000, outcome: 'b' })).to.deep.equal({ pot: 2000, rake: 40, payouts: { a: 0, b: 1960 } });
    });

    it('refunds both stakes on a draw with no rake', () => {
      expect(settleDuel({ stake: 777, outcome: 'draw' })).to.deep.equal({ pot: 1554, rake: 0, payouts: { a: 777, b: 777 } });
    });

    it('rounds the rake down on odd stakes', () => {
      expect(settleDuel({ stake: 1, outcome: 'a' })).to.deep.equal({ pot: 2, rake: 0, payouts: { a: 2, b: 0 } }); // 0.04 → 0
      expect(settleDuel({ stake: 49, outcome: 'a' }).rake).to.equal(1); // 98 × 0.02 = 1.96 → 1
      expect(settleDuel({ stake: 51, outcome: 'b' })).to.deep.equal({ pot: 102, rake: 2, payouts: { a: 0, b: 100 } }); // 2.04 → 2
      expect(settleDuel({ stake: 333, outcome: 'a', rakeBps: 250 }).rake).to.equal(16); // 666 × 0.025 = 16.65 → 16
      expect(settleDuel({ stake: 500, outcome: 'a', rakeBps: 0 }).rake).to.equal(0);
    });

    it('conserves the pot exactly: payouts + rake = 2 × stake', () => {
      const outcomes: DuelResult[] = ['a', 'b', 'draw', 'void'];
      for (const stake of [1, 2, 3, 7, 49, 50, 51, 99, 101, 12345, 999_999_999, 2 ** 51]) {
        for (const rakeBps of [0, 1, 150, 200, 333, 10000]) {
          for (const outcome of outcomes) {
            const s = settleDuel({ stake, outcome, rakeBps });
            expect(s.payouts.a + s.payouts.b + s.rake).to.equal(2 * stake);
            expect(Number.isSafeInteger(s.rake) && s.rake >= 0).to.equal(true);
          }
        }
      }
    });

    it('refuses a non-integer or non-positive stake and an out-of-range rake', () => {
      for (const stake of [0, -5, 1.5, Number.NaN, 2 ** 53]) {
        expect(() => settleDuel({ stake, outcome: 'a' }))
          .to.throw(DomainError)
          .with.property('code', 'request/invalid');
      }
      for (const rakeBps of [-1, 10001, 2.5]) {
        expect(() => settleDuel({ stake: 10, outcome: 'a', rakeBps }))
          .to.throw(DomainError)
          .with.property('code', 'request/invalid');
      }
    });
  });

  describe('housePick', () => {
    it('maps floor(f × 3) to rock, paper, scissors at the float boundaries', () => {
      expect(housePick(0)).to.equal('rock');
      expect(housePick(0.3333)).to.equal('rock');
      expect(housePick(0.3334)).to.equal('paper');
      expect(housePick(0.6666)).to.equal('paper');
      expect(housePick(0.6667)).to.equal('scissors');
      expect(housePick(0.9999)).to.equal('scissors');
      expect(housePick((2 ** 32 - 1) / 2 ** 32)).to.equal('scissors');
    });

    it('refuses floats outside [0, 1)', () => {
      for (const f of [-0.1, 1, Number.NaN]) expect(() => housePick(f)).to.throw(Error);
    });

    it('is close to uniform over fair floats (fixed seed)', () => {
      const counts = { rock: 0, paper: 0, scissors: 0 };
      const n = 30000;
      for (const f of roundFloats({ serverSeed: 'rps-seed', clientSeed: 'c', nonce: 0 }, n)) counts[housePick(f)]++;
      // each share ~1/3 with standard error sqrt(2/9 / n) ≈ 0.0027; allow 5 of them
      for (const p of PICKS) expect(counts[p] / n).to.be.closeTo(1 / 3, 0.0136);
    });
  });

  it('validates picks from messages', () => {
    expect(isPick('rock')).to.equal(true);
    expect(isPick('ROCK')).to.equal(false);
    expect(isPick(null)).to.equal(false);
  });
});
