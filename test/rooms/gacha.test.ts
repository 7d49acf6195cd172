import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { findBanner } from '../../domain/games/gacha/banners.ts';
import { FLOATS_PER_PULL, pullGacha } from '../../domain/games/gacha/rules.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { Inbox, joinAs } from '../helpers/room-client.ts';

describe('gacha room', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('gacharoom');
  });
  after(async () => {
    await s?.stop();
  });

  async function richPlayer(gold = 100_000) {
    const u = await signup(s.http);
    await s.services.wallet.apply([credit({ userId: u.userId, currency: 'GOLD', amount: gold, reason: 'admin_adjust', actor: 'test' })]);
    return u;
  }

  it('pulls 1 and 10 on a banner: items land in the inventory, pity persists, 10-pulls hold a rare, and the rounds re-verify', async () => {
    const u = await richPlayer();
    const banner = findBanner('neon-standard');
    let room = await joinAs(s.url, u.access, 'gacha', { banner: 'neon-standard' });
    let inbox = new Inbox(room);
    const info = await inbox.next('banner');
    expect(info).to.include({ id: 'neon-standard', currency: 'GOLD', pity: 0 });
    expect(Object.values(info.rates_bps as Record<string, number>).reduce((a, b) => a + b, 0)).to.equal(10000);

    room.send('pull', { count: 1, ref: 'a' });
    const one = await inbox.next('pull_result', (m) => m.ref === 'a');
    expect(one.cost).to.equal(banner.cost.single);
    expect(one.pulls).to.have.length(1);
    const results = [one];
    for (let i = 0; i < 3; i++) {
      room.send('pull', { count: 10, ref: i });
      const ten = await inbox.next('pull_result', (m) => m.ref === i);
      expect(ten.cost).to.equal(banner.cost.ten);
      expect(
        ten.pulls.some((p: { rarity: string }) => p.rarity !== 'common'),
        'a 10-pull holds a rare or better',
      ).to.equal(true);
      results.push(ten);
    }
    const last = results.at(-1);
    await room.leave();

    // pity persists per player and banner
    room = await joinAs(s.url, u.access, 'gacha', { banner: 'neon-standard' });
    inbox = new Inbox(room);
    expect((await inbox.next('banner')).pity).to.equal(last.pity);
    await room.leave();

    // inventory: every first copy, plus shards for duplicates; GOLD conversions are ledgered
    const inv = await em().execute<{ item_id: string; quantity: number }[]>(
      'select item_id, quantity from inventory_items where user_id = ?',
      [u.userId],
    );
    const pulledIds = new Set(results.flatMap((r) => r.pulls.map((p: { itemId: string }) => p.itemId)));
    for (const id of pulledIds) expect(inv.map((i) => i.item_id)).to.include(id);
    const shards = results.reduce((a, r) => a + r.converted.shards, 0);
    const convertedGold = results.reduce((a, r) => a + r.converted.gold, 0);
    expect(inv.find((i) => i.item_id === banner.shardItemId)?.quantity ?? 0).to.equal(shards);
    const [conv] = await em().execute(
      `select coalesce(sum(delta), 0)::int as g from ledger_entries where user_id = ? and reason = 'shard_convert'`,
      [u.userId],
    );
    expect(conv.g).to.equal(convertedGold);
    expect((await s.services.wallet.balances(em(), u.userId)).GOLD).to.equal(
      101_000 - banner.cost.single - 3 * banner.cost.ten + convertedGold,
    );

    // re-verify every pull round from the revealed seed
    const rotated = await s.http.post('/api/fairness/rotate', undefined, { token: u.access });
    for (const r of results) {
      const rec = (await s.http.get(`/api/fairness/rounds/${r.round_id}`)).body;
      expect(rec.seed.server_seed).to.equal(rotated.body.previous.server_seed);
      expect(rec.verification).to.include({ verifiable: true, matches: true });
      const floats = roundFloats(
        { serverSeed: rec.seed.server_seed, clientSeed: rec.seed.client_seed, nonce: rec.seed.nonce },
        rec.outcome.count * FLOATS_PER_PULL,
      );
      const again = pullGacha(banner, { sinceTop: rec.outcome.pity_before }, floats, rec.outcome.count);
      expect(again.pulls.map((p) => [p.rarity, p.itemId])).to.deep.equal(
        rec.outcome.pulls.map((p: { rarity: string; itemId: string }) => [p.rarity, p.itemId]),
      );
      expect(again.pityAfter.sinceTop).to.equal(rec.outcome.pity_after);
    }
  });

  it('refuses an unknown banner, a bad count and a pull the player cannot afford, changing nothing', async () => {
    const u = await signup(s.http);
    const err = await joinAs(s.url, u.access, 'gacha', { banner: 'no-such-banner' }).then(
      () => null,
      (e) => e,
    );
    expect(String(err?.message)).to.match(/banner/i);
    const room = await joinAs(s.url, u.access, 'gacha', { banner: 'cyber-premium' });
    const inbox = new Inbox(room);
    try {
      await inbox.next('banner');
      room.send('pull', { count: 3 });
      expect((await inbox.next('error')).code).to.equal('request/invalid');
      room.send('pull', { count: 1 }); // GEM banner; a new player has 0 GEM
      expect(await inbox.next('error')).to.include({ code: 'wallet/insufficient_funds' });
      const inv = await em().execute('select count(*)::int as n from inventory_items where user_id = ?', [u.userId]);
      expect(inv[0].n).to.equal(0);
      expect(await s.services.wallet.balances(em(), u.userId)).to.deep.equal({ GOLD: 1000, GEM: 0 });
    } finally {
      await room.leave();
    }
  });

  it('publishes the banners with rates summing to 100 % and the effective legendary rate', async () => {
    const res = await s.http.get('/api/games/gacha/banners');
    expect(res.body.banners).to.have.length.of.at.least(2);
    for (const b of res.body.banners) {
      expect(Object.values(b.rates_percent as Record<string, number>).reduce((a, x) => a + x, 0)).to.be.closeTo(100, 1e-9);
      expect(b.effective_legendary_rate.single_pulls).to.be.greaterThan(b.ratesBps.legendary / 10000);
    }
  });
});
