import { expect } from 'chai';
import { assertBanner, BANNERS, findBanner, RARITIES } from '../../../../domain/games/gacha/banners.ts';
import {
  buildRarityTable,
  conditionRareOrBetter,
  effectiveTopRate,
  expectedPullsPerTop,
  pickRarity,
  stationaryTopRate,
} from '../../../../domain/games/gacha/odds.ts';
import { parsePity, pullCost, pullGacha } from '../../../../domain/games/gacha/rules.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';

const standard = findBanner('neon-standard');
const premium = findBanner('cyber-premium');
const JUST_BELOW_ONE = (2 ** 32 - 1) / 2 ** 32;

/** The smallest 32-bit fair float that is NOT below the probability num/den. */
function firstFloatAtOrAbove(num: number, den: number): number {
  return Math.ceil((num * 2 ** 32) / den) / 2 ** 32;
}

/** Asserts P(legendary) of the table is exactly num/den (integer cross-multiplication). */
function expectTopRate(sinceTop: number, num: number, den: number): void {
  const t = buildRarityTable(standard, sinceTop);
  expect(t.weights.legendary * den).to.equal(num * t.total);
}

describe('domain/games/gacha', () => {
  describe('banners', () => {
    it('have rates summing to exactly 10000 bps and valid data on every banner', () => {
      expect(BANNERS.length).to.be.at.least(2);
      for (const b of BANNERS) {
        expect(b.version).to.equal('gacha-v1');
        expect(RARITIES.reduce((s, r) => s + b.ratesBps[r], 0)).to.equal(10000);
        expect(() => assertBanner(b)).not.to.throw();
      }
    });

    it('use item ids that are unique across banners', () => {
      const ids = BANNERS.flatMap((b) => RARITIES.flatMap((r) => b.items[r].map((i) => i.id)));
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it('refuses an unknown banner with resource/not_found', () => {
      expect(() => findBanner('nope'))
        .to.throw(DomainError)
        .with.property('code', 'resource/not_found');
    });

    it('prices a 10-pull at the banner cost (discounted on the standard banner)', () => {
      expect(pullCost(standard, 1)).to.deep.equal({ currency: 'GOLD', amount: 100 });
      expect(pullCost(standard, 10)).to.deep.equal({ currency: 'GOLD', amount: 900 });
      expect(pullCost(premium, 10)).to.deep.equal({ currency: 'GEM', amount: 1500 });
    });
  });

  describe('pity', () => {
    it('keeps the base rate up to pull 74 and interpolates soft pity exactly at 75, 82 and 90', () => {
      expectTopRate(0, 60, 10000);
      expectTopRate(73, 60, 10000); // pull 74
      expectTopRate(74, 109, 1600); // pull 75: 0.006 + 0.994 × 1/16 = 0.068125
      expectTopRate(81, 503, 1000); // pull 82: 0.006 + 0.994 × 8/16 = 0.503
      expectTopRate(89, 1, 1); // pull 90: hard pity
    });

    it('shares the rest among epic, rare and common in proportion to their base rates', () => {
      const t = buildRarityTable(standard, 81); // pull 82: 1 − 0.503 = 0.497 left
      expect(t.weights.epic * 1000 * 9940).to.equal(t.total * 497 * 540);
      expect(t.weights.rare * 540).to.equal(t.weights.epic * 2400);
      expect(t.weights.common * 2400).to.equal(t.weights.rare * 7000);
      expect(RARITIES.reduce((s, r) => s + t.weights[r], 0)).to.equal(t.total);
    });

    it('makes the 90th pull since the last legendary legendary whatever the float', () => {
      for (const f of [0, 0.25, 0.5, 0.9999, JUST_BELOW_ONE]) {
        for (const b of BANNERS) {
          const r = pullGacha(b, { sinceTop: 89 }, [f, 0.5], 1);
          expect(r.pulls[0].rarity).to.equal('legendary');
          expect(r.pityAfter).to.deep.equal({ sinceTop: 0 });
        }
      }
    });

    it('compares the float exactly with the cumulative rate (legendary, epic, rare, common)', () => {
      const edge = firstFloatAtOrAbove(60, 10000);
      expect(pickRarity(buildRarityTable(standard, 0), edge - 2 ** -32)).to.equal('legendary');
      expect(pickRarity(buildRarityTable(standard, 0), edge)).to.equal('epic');
      expect(pickRarity(buildRarityTable(standard, 0), firstFloatAtOrAbove(600, 10000) - 2 ** -32)).to.equal('epic');
      expect(pickRarity(buildRarityTable(standard, 0), firstFloatAtOrAbove(600, 10000))).to.equal('rare');
      expect(pickRarity(buildRarityTable(standard, 0), firstFloatAtOrAbove(3000, 10000))).to.equal('common');
      const pull75 = firstFloatAtOrAbove(109, 1600);
      expect(pullGacha(standard, { sinceTop: 74 }, [pull75 - 2 ** -32, 0], 1).pulls[0].rarity).to.equal('legendary');
      expect(pullGacha(standard, { sinceTop: 74 }, [pull75, 0], 1).pulls[0].rarity).to.equal('epic');
    });

    it('counts pulls since the last legendary and resets on a legendary', () => {
      const r = pullGacha(standard, { sinceTop: 5 }, [0.9, 0.1, 0.0001, 0.1, 0.5, 0.1], 1);
      expect(r.pityAfter).to.deep.equal({ sinceTop: 6 });
      expect(r.floatsUsed).to.equal(2);
      expect(r.pulls[0].pityBefore).to.equal(5);
      const ten = pullGacha(
        standard,
        { sinceTop: 85 },
        Array.from({ length: 20 }, () => 0.97),
        10,
      );
      expect(ten.pulls.map((p) => p.rarity).slice(0, 5)).to.deep.equal(['common', 'common', 'common', 'common', 'legendary']);
      expect(ten.pityAfter).to.deep.equal({ sinceTop: 5 });
    });

    it('validates stored pity JSON', () => {
      expect(parsePity(standard, null)).to.deep.equal({ sinceTop: 0 });
      expect(parsePity(standard, { sinceTop: 42 })).to.deep.equal({ sinceTop: 42 });
      for (const bad of [{ sinceTop: 90 }, { sinceTop: -1 }, { sinceTop: 1.5 }, {}, 'x']) {
        expect(() => parsePity(standard, bad))
          .to.throw(DomainError)
          .with.property('code', 'request/invalid');
      }
    });
  });

  describe('10-pull guarantee', () => {
    it('draws the 10th pull from the rare-or-better table when the first nine are common', () => {
      const r = pullGacha(
        standard,
        { sinceTop: 0 },
        Array.from({ length: 20 }, () => 0.99),
        10,
      );
      expect(r.floatsUsed).to.equal(20);
      expect(r.pulls.slice(0, 9).every((p) => p.rarity === 'common' && !p.guaranteed)).to.equal(true);
      expect(r.pulls[9]).to.include({ rarity: 'rare', guaranteed: true });
      // the same first float on the conditional table: 60/3000 = 2 % legendary, 540/3000 = 18 % epic
      const floats = [...Array.from({ length: 18 }, () => 0.99), 0.019, 0.5];
      expect(pullGacha(standard, { sinceTop: 0 }, floats, 10).pulls[9].rarity).to.equal('legendary');
      floats[18] = 0.19;
      expect(pullGacha(standard, { sinceTop: 0 }, floats, 10).pulls[9].rarity).to.equal('epic');
    });

    it('does not apply to single pulls or to a 10-pull that already had a rare', () => {
      expect(pullGacha(standard, { sinceTop: 0 }, [0.99, 0.5], 1).pulls[0].rarity).to.equal('common');
      const floats = Array.from({ length: 20 }, () => 0.99);
      floats[6] = 0.2; // pull 4 is rare
      const r = pullGacha(standard, { sinceTop: 0 }, floats, 10);
      expect(r.pulls[3].rarity).to.equal('rare');
      expect(r.pulls[9]).to.include({ rarity: 'common', guaranteed: false });
    });

    it('keeps pity in the guaranteed table (hard pity still wins)', () => {
      const t = conditionRareOrBetter(buildRarityTable(standard, 89));
      expect(t.weights.legendary).to.equal(t.total);
    });

    it('refuses other pull counts and short float lists', () => {
      expect(() => pullGacha(standard, { sinceTop: 0 }, new Array(10).fill(0.5), 5 as 1))
        .to.throw(DomainError)
        .with.property('code', 'request/invalid');
      expect(() => pullGacha(standard, { sinceTop: 0 }, new Array(19).fill(0.5), 10)).to.throw(Error);
    });
  });

  describe('duplicates', () => {
    it('marks owned items as duplicates and converts them', () => {
      const r = pullGacha(standard, { sinceTop: 0 }, [0.0001, 0], 1, new Set(['neon-dragon']));
      expect(r.pulls[0]).to.deep.include({
        rarity: 'legendary',
        itemId: 'neon-dragon',
        duplicate: true,
        conversion: { shards: 100, gold: 500 },
      });
      expect(r.newItems).to.deep.equal([]);
      expect(r.converted).to.deep.equal({ shards: 100, gold: 500 });
    });

    it('treats a second copy within the same 10-pull as a duplicate', () => {
      const floats = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.2 : 0.1)); // ten rare glow-cats
      const r = pullGacha(standard, { sinceTop: 0 }, floats, 10);
      expect(r.pulls.map((p) => p.itemId)).to.deep.equal(new Array(10).fill('glow-cat'));
      expect(r.pulls[0].duplicate).to.equal(false);
      expect(r.pulls[0]).not.to.have.property('conversion');
      expect(r.pulls.slice(1).every((p) => p.duplicate)).to.equal(true);
      expect(r.newItems).to.deep.equal(['glow-cat']);
      expect(r.converted).to.deep.equal({ shards: 45, gold: 180 });
    });

    it('picks the item uniformly by floor(f × count) in list order', () => {
      const items = standard.items.common;
      const at = (f: number) => pullGacha(standard, { sinceTop: 0 }, [0.99, f], 1).pulls[0].itemId;
      expect(at(0)).to.equal(items[0].id);
      expect(at(0.2)).to.equal(items[1].id);
      expect(at(JUST_BELOW_ONE)).to.equal(items[items.length - 1].id);
    });
  });

  describe('effective legendary rate', () => {
    it('is 1 / E[pulls per legendary] and agrees with the single-pull stationary chain', () => {
      for (const b of BANNERS) {
        const rate = effectiveTopRate(b);
        expect(rate).to.be.closeTo(1 / expectedPullsPerTop(b), 1e-15);
        expect(stationaryTopRate(b, 1)).to.be.closeTo(rate, 1e-12);
        expect(rate)
          .to.be.above(b.ratesBps.legendary / 10000)
          .and.below(0.05);
      }
    });

    it('is a little higher when every round is a 10-pull (the guarantee can land a legendary)', () => {
      for (const b of BANNERS) expect(effectiveTopRate(b, 10)).to.be.above(effectiveTopRate(b));
    });
  });
});
