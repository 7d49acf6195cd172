import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit, type LedgerReason, type Movement } from '../../domain/economy/currency.ts';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { resealLedgerChains } from '../helpers/ledger-chain.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

const DAY_MS = 86_400_000;
const dayKey = (d: Date) => d.toISOString().slice(0, 10);

describe('admin: economy telemetry and anomalies', function () {
  this.timeout(90_000);
  let s: TestServer;
  let viewer: TestOperator;
  const sql = (q: string, params: unknown[] = []) => (s.orm.em.fork() as EntityManager).execute<Record<string, unknown>[]>(q, params);
  const get = (path: string) => s.http.get(path, { token: viewer.access });

  before(async () => {
    s = await startTestServer('admin_economy');
    viewer = await createOperator(s, 'viewer');
  });
  after(async () => {
    await s?.stop();
  });

  describe('sources and sinks', () => {
    const today = dayKey(new Date());
    const yesterday = dayKey(new Date(Date.now() - DAY_MS));
    let signupBonus = 0;

    before(async () => {
      const a = await signup(s.http);
      const b = await signup(s.http);
      const m = (kind: 'credit' | 'debit', userId: string, amount: number, reason: string, extra: Partial<Movement> = {}) =>
        (kind === 'credit' ? credit : debit)({ userId, currency: 'GOLD', amount, reason: reason as LedgerReason, actor: 'test', ...extra });
      // yesterday: every row so far (the sign-up bonuses included) is moved to yesterday noon
      await s.services.wallet.apply([
        m('credit', a.userId, 5000, 'admin_adjust'),
        m('debit', a.userId, 300, 'bet'),
        m('credit', a.userId, 700, 'win'),
        m('credit', a.userId, 200, 'reward', { refType: 'mission', refId: 'm1' }),
        m('credit', a.userId, 50, 'shard_convert'),
        m('credit', b.userId, 1000, 'admin_adjustment'),
        m('debit', b.userId, 400, 'purchase'),
        credit({ userId: b.userId, currency: 'GEM', amount: 10, reason: 'purchase' }),
      ]);
      await sql(`update ledger_entries set created_at = ?`, [new Date(`${yesterday}T12:00:00Z`)]);
      // created_at is one of the hashed fields: the moved rows are sealed again so the ledger still verifies
      await resealLedgerChains(s.orm.em.fork() as EntityManager);
      const [bonus] = await sql(
        `select coalesce(sum(delta), 0) as s from ledger_entries where reason = 'signup_bonus' and currency = 'GOLD'`,
      );
      signupBonus = Number(bonus.s);
      expect(signupBonus).to.be.above(0);
      // today: a refunded bet, a bulk-operation deduction, and a reason this build does not know
      await s.services.wallet.apply([
        m('debit', a.userId, 100, 'bet'),
        m('credit', a.userId, 100, 'refund'),
        m('debit', a.userId, 250, 'admin_operation'),
        m('credit', b.userId, 30, 'legacy_gift'),
      ]);
    });

    it('shows each category per day, the net issuance and the total held (last 7 days by default)', async () => {
      const res = await get('/api/admin/economy');
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ currency: 'GOLD', to: today });
      expect(res.body.days).to.have.length(7);
      expect(res.body.days.map((d: { day: string }) => d.day).slice(-2)).to.deep.equal([yesterday, today]);
      const [before, y, t] = res.body.days.slice(-3);

      expect(y.sources).to.include({ signup_bonus: signupBonus, adjustments: 6000, wins: 700, rewards: 200, conversions: 50, other: 0 });
      expect(y.sinks).to.include({ bets: 300, purchases: 400, adjustments: 0 });
      expect(y.net).to.equal(signupBonus + 6000 + 700 + 200 + 50 - 300 - 400);
      expect(t.sources).to.include({ refunds: 100, other: 30, signup_bonus: 0 });
      expect(t.sinks).to.include({ bets: 100, adjustments: 250 });
      expect(t.net).to.equal(100 + 30 - 100 - 250);

      // the total held: Σ wallet balances = Σ of every delta ever, walked back day by day
      const [ledger] = await sql(`select sum(delta) as s from ledger_entries where currency = 'GOLD'`);
      expect(res.body.held_now).to.equal(Number(ledger.s));
      expect(t.held_at_end).to.equal(res.body.held_now);
      expect(y.held_at_end).to.equal(res.body.held_now - t.net);
      expect(before.held_at_end).to.equal(0);

      const reasons = Object.fromEntries(res.body.reasons.map((r: { reason: string }) => [r.reason, r]));
      expect(reasons.legacy_gift).to.include({ category: 'other', sources: 30, sinks: 0, net: 30, entries: 1 });
      expect(reasons.admin_operation).to.include({ category: 'adjustments', sources: 0, sinks: 250, net: -250 });
      expect(reasons.admin_adjustment).to.include({ category: 'adjustments', sources: 1000 });
      expect(reasons.bet).to.include({ category: 'bets', sources: 0, sinks: 400, entries: 2 });
      expect(res.body.totals.net).to.equal(y.net + t.net);
      expect(reasons.purchase).to.include({ sinks: 400, sources: 0 }); // the GEM credit is not GOLD
    });

    it('reads one currency and any range; a closed day read again (cached) gives the same figures', async () => {
      const gem = await get(`/api/admin/economy?currency=GEM&from=${yesterday}&to=${yesterday}`);
      expect(gem.status).to.equal(200);
      expect(gem.body.days).to.have.length(1);
      expect(gem.body.days[0].sources.purchases).to.equal(10);
      expect(gem.body.days[0].held_at_end).to.equal(10);
      const once = await get(`/api/admin/economy?from=${yesterday}&to=${yesterday}`);
      const again = await get(`/api/admin/economy?from=${yesterday}&to=${yesterday}`);
      expect(again.body).to.deep.equal(once.body);
      const full = await get('/api/admin/economy');
      expect(once.body.days[0]).to.deep.equal(full.body.days[5]);
    });

    it('refuses a bad currency, a backward range, a range over 92 days and a malformed day', async () => {
      for (const q of [
        'currency=XYZ',
        `from=${today}&to=${yesterday}`,
        'from=2026-01-01&to=2026-12-01',
        'from=yesterday',
        'to=2026-02-30',
      ]) {
        const res = await get(`/api/admin/economy?${q}`);
        expect(res.status, q).to.equal(400);
        expect(res.body.error).to.equal('request/invalid');
      }
      expect((await get('/api/admin/economy/anomalies?z=1')).status).to.equal(400);
    });
  });

  describe('anomalies', () => {
    const rounds = async (userId: string, list: Array<{ bet: number; payout: number }>, game = 'slot', version = 'slot-v1') => {
      const values = list.map(() => `(?, ?, ?, 'GOLD', ?, ?, 0, '{}', ?::jsonb, 'settled', 'test', now())`).join(', ');
      await sql(
        `insert into game_rounds (id, game, user_id, currency, bet, payout, multiplier, outcome, fairness, status, owner, created_at)
         values ${values}`,
        list.flatMap((r) => [randomUUID(), game, userId, r.bet, r.payout, JSON.stringify({ version })]),
      );
    };
    const rewards = (userId: string, amounts: number[], refType = 'mission') =>
      s.services.wallet.apply(
        amounts.map((amount) => credit({ userId, currency: 'GOLD', amount, reason: 'reward', refType, refId: randomUUID() })),
      );

    it('flags a player whose result is improbable for the published RTP, with the evidence, and not an ordinary one', async () => {
      const lucky = await signup(s.http);
      const ordinary = await signup(s.http);
      const few = await signup(s.http);
      const retired = await signup(s.http);
      await rounds(
        lucky.userId,
        Array.from({ length: 120 }, () => ({ bet: 100, payout: 400 })),
      ); // z ≈ 7
      // 0.96 of the stakes back: 6 wins of 24× in 150 spins
      await rounds(
        ordinary.userId,
        Array.from({ length: 150 }, (_, i) => ({ bet: 100, payout: i % 25 === 0 ? 2400 : 0 })),
      );
      await rounds(
        few.userId,
        Array.from({ length: 50 }, () => ({ bet: 100, payout: 600 })),
      ); // under 100 rounds: not tested
      await rounds(
        retired.userId,
        Array.from({ length: 120 }, () => ({ bet: 100, payout: 300 })),
        'slot',
        'slot-v0',
      ); // no published law

      const res = await get('/api/admin/economy/anomalies');
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ min_rounds: 100, z_threshold: 5 });
      const flagged = res.body.results.map((r: { user_id: string }) => r.user_id);
      expect(flagged).to.include(lucky.userId);
      expect(flagged).to.not.include.members([ordinary.userId, few.userId, retired.userId]);
      const hit = res.body.results.find((r: { user_id: string }) => r.user_id === lucky.userId);
      expect(hit).to.include({
        username: lucky.username,
        game: 'slot',
        algorithm: 'slot-v1',
        rounds: 120,
        wagered: 12_000,
        paid: 48_000,
        net: 36_000,
      });
      expect(hit.z).to.be.within(6.5, 7.5);
      expect(hit.expected_net).to.be.below(0);
      expect(hit.published_rtp).to.be.within(0.9, 1);
      // z = (net − expected) / (σ·√Σbet²)
      expect(hit.z).to.be.closeTo((hit.net - hit.expected_net) / (hit.sigma * Math.sqrt(120 * 100 * 100)), 0.05);

      // a lower bar tests the player with 50 rounds too
      const low = await get('/api/admin/economy/anomalies?min_rounds=40');
      expect(low.body.results.map((r: { user_id: string }) => r.user_id)).to.include(few.userId);
    });

    it('flags a wallet paid more by rewards than every mission, event and the streak allow in the range', async () => {
      // one daily mission paying 500 GOLD, live all week: 7 × 500, plus the streak's best day (1000) for 7 days
      await sql(
        `insert into missions (id, code, name, period, condition, reward, active, rank, created_at, version)
         values (?, 'econ_daily', 'Econ daily', 'daily', '{}', '{"gold": 500}', true, 0, now(), 1)`,
        [randomUUID()],
      );
      const max = 7 * 500 + 7 * 1000;
      const farmer = await signup(s.http);
      const busy = await signup(s.http);
      const granted = await signup(s.http);
      await rewards(farmer.userId, [6000, 6000, 500]);
      await rewards(busy.userId, [3500, 3000, 1000]); // 7500: under the limit
      await rewards(granted.userId, [50_000], 'admin_operation'); // an operator's grant is no played reward

      const res = await get('/api/admin/economy/anomalies');
      const list = res.body.rewards;
      expect(list.map((r: { user_id: string }) => r.user_id)).to.deep.equal([farmer.userId]);
      expect(list[0]).to.deep.include({
        username: farmer.username,
        currency: 'GOLD',
        income: 12_500,
        max_allowed: max,
        grants: 3,
        by_source: { mission: 12_500 },
      });
    });
  });
});
