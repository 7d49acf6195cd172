import { expect } from 'chai';
import { isEmptyBundle, parseRewardBundle } from '../../../domain/liveops/rewards.ts';
import { DomainError } from '../../../domain/shared/errors.ts';

describe('domain/liveops rewards', () => {
  it('parses bundles with any combination of currencies, XP and items', () => {
    expect(parseRewardBundle({ gold: 500 })).to.deep.equal({ gold: 500 });
    expect(parseRewardBundle({ gem: 5, xp: 0 })).to.deep.equal({ gem: 5, xp: 0 });
    const full = { gold: 1, gem: 2, xp: 3, items: [{ item_id: 'frame_neon', quantity: 1 }] };
    expect(parseRewardBundle(full)).to.deep.equal(full);
    expect(parseRewardBundle({ items: [{ item_id: 'ticket', quantity: 3 }] })).to.deep.equal({
      items: [{ item_id: 'ticket', quantity: 3 }],
    });
  });

  it('rejects negative, fractional, empty and unknown content', () => {
    const bad: unknown[] = [
      {},
      { gold: 0 },
      { gold: 0, items: [] },
      { gold: -1 },
      { gold: 1.5 },
      { gem: '5' },
      { gold: 1, golds: 2 },
      { items: [{ item_id: '', quantity: 1 }] },
      { items: [{ item_id: 'x', quantity: 0 }] },
      { items: [{ item_id: 'x', quantity: -2 }] },
      { items: [{ item_id: 'x' }] },
      null,
      [],
      42,
    ];
    for (const json of bad) {
      expect(() => parseRewardBundle(json), JSON.stringify(json))
        .to.throw(DomainError)
        .with.property('code', 'request/invalid');
    }
  });

  it('tells empty bundles apart', () => {
    expect(isEmptyBundle({})).to.equal(true);
    expect(isEmptyBundle({ gold: 0, gem: 0, xp: 0, items: [] })).to.equal(true);
    expect(isEmptyBundle({ xp: 1 })).to.equal(false);
    expect(isEmptyBundle({ items: [{ item_id: 'x', quantity: 1 }] })).to.equal(false);
  });
});
