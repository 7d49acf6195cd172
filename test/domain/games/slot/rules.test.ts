import { expect } from 'chai';
import type { SlotMachine } from '../../../../domain/games/slot/machine.ts';
import { SLOT_V1 } from '../../../../domain/games/slot/machine.ts';
import { assertBetLevel, evaluateLine, isBetLevel, SLOT_FLOATS_PER_SPIN, spinSlot, toGrid } from '../../../../domain/games/slot/rules.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';

/**
 * A hand-made machine: every strip is three designed windows (stops 0, 3 and 6); X is a filler that
 * pays nothing. Lines: middle, top, bottom, V.
 */
const HAND: SlotMachine = {
  version: 'hand',
  rows: 3,
  wild: 'W',
  scatter: 'S',
  strips: [
    ['X', 'W', 'X', 'X', 'S', 'X', 'A', 'A', 'A'],
    ['X', 'W', 'X', 'X', 'A', 'X', 'S', 'X', 'X'],
    ['X', 'W', 'X', 'X', 'B', 'S', 'A', 'A', 'A'],
    ['X', 'B', 'X', 'X', 'A', 'X', 'X', 'X', 'X'],
    ['X', 'B', 'X', 'S', 'X', 'X', 'X', 'X', 'X'],
  ],
  paylines: [
    [1, 1, 1, 1, 1],
    [0, 0, 0, 0, 0],
    [2, 2, 2, 2, 2],
    [0, 1, 2, 1, 0],
  ],
  paytable: { A: [5, 20, 100], B: [10, 40, 200], W: [50, 250, 1000] },
  scatterPays: [2, 10, 50],
  freeSpinAwards: [10, 15, 20],
  freeSpinMultiplier: 3,
  betLevels: [1, 2, 5],
};

/** Floats that land reel i on stops[i] (the middle of the stop's float interval). */
function floatsFor(machine: SlotMachine, stops: number[]): number[] {
  return stops.map((stop, reel) => (stop + 0.5) / machine.strips[reel].length);
}

describe('slot rules', () => {
  describe('spinSlot', () => {
    it('maps floats to stops and shows the stop and the next two symbols, wrapping', () => {
      const out = spinSlot(HAND, [8.5 / 9, 0, 0.999999, 3.5 / 9, 0.5], 1);
      expect(out.stops).to.deep.equal([8, 0, 8, 3, 4]);
      expect(out.grid).to.deep.equal([
        ['A', 'X', 'A', 'X', 'X'],
        ['X', 'W', 'X', 'A', 'X'],
        ['W', 'X', 'W', 'X', 'X'],
      ]);
      expect(SLOT_FLOATS_PER_SPIN).to.equal(5);
    });

    it('pays the best reading of a line: W W W B B pays five BARs, not three wilds', () => {
      const out = spinSlot(HAND, floatsFor(HAND, [0, 0, 0, 0, 0]), 2);
      expect(out.grid[1]).to.deep.equal(['W', 'W', 'W', 'B', 'B']);
      expect(out.lineWins).to.deep.equal([{ line: 0, symbol: 'B', count: 5, payout: 2 * 200 }]);
      expect(out.totalBet).to.equal(2 * 4);
      expect(out.totalPayout).to.equal(400);
    });

    it('pays the wild-only run when it beats the substituted symbol: W W W A B', () => {
      const out = spinSlot(HAND, floatsFor(HAND, [0, 0, 0, 3, 0]), 5);
      expect(out.grid[1]).to.deep.equal(['W', 'W', 'W', 'A', 'B']);
      expect(out.lineWins).to.deep.equal([{ line: 0, symbol: 'W', count: 3, payout: 5 * 50 }]);
      expect(out.totalPayout).to.equal(250);
    });

    it('pays every winning line, each counted from the leftmost reel', () => {
      const out = spinSlot(HAND, floatsFor(HAND, [6, 3, 6, 3, 0]), 1);
      expect(out.grid).to.deep.equal([
        ['A', 'X', 'A', 'X', 'X'],
        ['A', 'A', 'A', 'A', 'B'],
        ['A', 'X', 'A', 'X', 'X'],
      ]);
      expect(out.lineWins).to.deep.equal([
        { line: 0, symbol: 'A', count: 4, payout: 20 },
        { line: 3, symbol: 'A', count: 4, payout: 20 },
      ]);
      expect(out.totalPayout).to.equal(40);
    });

    it('pays scatters anywhere on the total bet and awards free spins; a line starting with a scatter pays nothing', () => {
      const out = spinSlot(HAND, floatsFor(HAND, [3, 6, 3, 0, 3]), 2);
      expect(out.grid).to.deep.equal([
        ['X', 'S', 'X', 'X', 'S'],
        ['S', 'X', 'B', 'B', 'X'],
        ['X', 'X', 'S', 'X', 'X'],
      ]);
      expect(out.scatterCount).to.equal(4);
      expect(out.lineWins).to.deep.equal([]);
      expect(out.scatterPayout).to.equal(10 * 2 * 4);
      expect(out.freeSpinsAwarded).to.equal(15);
      expect(out.totalPayout).to.equal(80);
    });

    it('plays a free spin at the triggering bet for nothing, multiplying every win', () => {
      const paid = spinSlot(HAND, floatsFor(HAND, [0, 0, 0, 0, 0]), 2);
      const free = spinSlot(HAND, floatsFor(HAND, [0, 0, 0, 0, 0]), 2, { freeSpin: true });
      expect(free.freeSpin).to.equal(true);
      expect(free.totalBet).to.equal(0);
      expect(free.multiplier).to.equal(3);
      expect(free.lineWins).to.deep.equal([{ line: 0, symbol: 'B', count: 5, payout: 3 * 400 }]);
      expect(free.totalPayout).to.equal(3 * paid.totalPayout);
      const scatters = spinSlot(HAND, floatsFor(HAND, [3, 6, 3, 0, 3]), 1, { freeSpin: true });
      expect(scatters.scatterPayout).to.equal(3 * 10 * 4);
      expect(scatters.freeSpinsAwarded).to.equal(15);
    });

    it('rejects floats that are missing or outside [0, 1) as a bug (plain Error)', () => {
      expect(() => spinSlot(HAND, [0.1, 0.2, 0.3, 0.4], 1)).to.throw(Error, /needs 5 floats/);
      expect(() => spinSlot(HAND, [0.1, 0.2, 1, 0.4, 0.5], 1)).to.throw(Error, /outside/);
    });
  });

  describe('evaluateLine', () => {
    const cases: [string, string | null, number, number][] = [
      ['W W W W W', 'W', 5, 1000],
      ['W A W A A', 'A', 5, 100],
      ['A A W S A', 'A', 3, 5],
      ['W W S A A', null, 0, 0],
      ['S A A A A', null, 0, 0],
      ['A A B A A', null, 0, 0],
      ['W W W A X', 'W', 3, 50],
      ['W W W A A', 'A', 5, 100],
      ['X X X X X', null, 0, 0],
    ];
    for (const [line, symbol, count, multiple] of cases) {
      it(`reads ${line} as ${symbol ?? 'no win'}`, () => {
        const best = evaluateLine(HAND, line.split(' '));
        expect(best).to.deep.equal(symbol === null ? null : { symbol, count, multiple });
      });
    }
  });

  describe('bet levels', () => {
    it('accepts only the machine bet levels', () => {
      expect(isBetLevel(SLOT_V1, SLOT_V1.betLevels[0])).to.equal(true);
      for (const bet of SLOT_V1.betLevels) expect(() => assertBetLevel(SLOT_V1, bet)).not.to.throw();
      for (const bet of [0, -1, 3, 1.5, Number.NaN, 1000]) {
        expect(() => assertBetLevel(SLOT_V1, bet))
          .to.throw(DomainError)
          .with.property('code', 'request/invalid');
      }
    });

    it('refuses a spin at an invalid bet level', () => {
      expect(() => spinSlot(SLOT_V1, [0, 0, 0, 0, 0], 3))
        .to.throw(DomainError)
        .with.property('code', 'request/invalid');
    });
  });

  describe('SLOT_V1', () => {
    it('is well formed: 5 reels × 3 rows, valid paylines, one scatter per visible window at most', () => {
      expect(SLOT_V1.version).to.equal('slot-v1');
      expect(SLOT_V1.strips).to.have.length(5);
      expect(SLOT_V1.paylines.length).to.be.at.least(10);
      const lines = SLOT_V1.paylines.map((l) => l.join());
      expect(new Set(lines).size).to.equal(lines.length);
      for (const line of SLOT_V1.paylines) {
        expect(line).to.have.length(5);
        for (const row of line) expect(row).to.be.oneOf([0, 1, 2]);
      }
      for (const strip of SLOT_V1.strips) {
        for (const symbol of strip) expect(symbol in SLOT_V1.paytable || symbol === SLOT_V1.scatter).to.equal(true);
        strip.forEach((s, i) => {
          if (s !== SLOT_V1.scatter) return;
          for (const d of [1, 2]) expect(strip[(i + d) % strip.length]).not.to.equal(SLOT_V1.scatter);
        });
      }
      for (const pays of Object.values(SLOT_V1.paytable)) for (const m of pays) expect(Number.isInteger(m)).to.equal(true);
    });

    it('pays three scatters on reels 1–3 and awards free spins', () => {
      const stops = [0, 1, 2, 3, 4].map((reel) => {
        const strip = SLOT_V1.strips[reel];
        const at =
          reel < 3
            ? strip.indexOf(SLOT_V1.scatter)
            : strip.findIndex((_, i) => ![0, 1, 2].some((d) => strip[(i + d) % strip.length] === SLOT_V1.scatter));
        return (at - (reel < 3 ? 1 : 0) + strip.length) % strip.length;
      });
      const out = spinSlot(SLOT_V1, floatsFor(SLOT_V1, stops), 10);
      expect(out.grid).to.deep.equal(toGrid(SLOT_V1, stops));
      expect(out.grid[1].slice(0, 3)).to.deep.equal(['S', 'S', 'S']);
      expect(out.scatterCount).to.equal(3);
      expect(out.scatterPayout).to.equal(10 * SLOT_V1.paylines.length * SLOT_V1.scatterPays[0]);
      expect(out.freeSpinsAwarded).to.equal(SLOT_V1.freeSpinAwards[0]);
      expect(out.lineWins.every((w) => w.line >= 0 && w.payout > 0)).to.equal(true);
      expect(out.totalPayout).to.equal(out.scatterPayout + out.lineWins.reduce((a, w) => a + w.payout, 0));
    });
  });
});
