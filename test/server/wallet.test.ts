import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit, transfer } from '../../domain/economy/currency.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('wallet service (real PostgreSQL)', () => {
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('wallet');
  });
  after(async () => {
    await s?.stop();
  });

  it('200 concurrent debits on one wallet never take it below zero and reconcile', async () => {
    const u = await signup(s.http); // 1000 GOLD
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        s.services.wallet.apply([
          debit({ userId: u.userId, currency: 'GOLD', amount: 7, reason: 'bet', idempotencyKey: `c200:${u.userId}:${i}` }),
        ]),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).to.equal(Math.floor(1000 / 7)); // 142 fit, the rest are refused
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason)
        .to.be.instanceOf(DomainError)
        .with.property('code', 'wallet/insufficient_funds');
    const balances = await s.services.wallet.balances(em(), u.userId);
    expect(balances.GOLD).to.equal(1000 - ok * 7);
    const { drift } = await findDrift(em());
    expect(drift).to.deep.equal([]);
  });

  it('the same idempotency key twice writes one ledger row and returns the original entry', async () => {
    const u = await signup(s.http);
    const m = credit({ userId: u.userId, currency: 'GEM', amount: 50, reason: 'reward', idempotencyKey: `once:${u.userId}` });
    const [first] = await s.services.wallet.apply([m]);
    const [second] = await s.services.wallet.apply([m]);
    expect(first.applied).to.equal(true);
    expect(second.applied).to.equal(false);
    expect(second.id).to.equal(first.id);
    const rows = await em().execute('select count(*)::int as n from ledger_entries where idempotency_key = ?', [`once:${u.userId}`]);
    expect(rows[0].n).to.equal(1);
    expect((await s.services.wallet.balances(em(), u.userId)).GEM).to.equal(50);
  });

  it('concurrent requests with one idempotency key have exactly one effect', async () => {
    const u = await signup(s.http);
    const m = credit({ userId: u.userId, currency: 'GEM', amount: 5, reason: 'reward', idempotencyKey: `race:${u.userId}` });
    const results = await Promise.all(Array.from({ length: 20 }, () => s.services.wallet.apply([m])));
    expect(results.filter(([r]) => r.applied)).to.have.length(1);
    expect(new Set(results.map(([r]) => r.id)).size).to.equal(1);
    expect((await s.services.wallet.balances(em(), u.userId)).GEM).to.equal(5);
  });

  it('refuses a reused idempotency key with different content (idempotency/key_reuse) and changes nothing', async () => {
    const u = await signup(s.http);
    await s.services.wallet.apply([
      credit({ userId: u.userId, currency: 'GOLD', amount: 10, reason: 'reward', idempotencyKey: `k:${u.userId}` }),
    ]);
    const err = await s.services.wallet
      .apply([credit({ userId: u.userId, currency: 'GOLD', amount: 11, reason: 'reward', idempotencyKey: `k:${u.userId}` })])
      .then(
        () => null,
        (e) => e,
      );
    expect(err).to.be.instanceOf(DomainError).with.property('code', 'idempotency/key_reuse');
    expect((await s.services.wallet.balances(em(), u.userId)).GOLD).to.equal(1010);
  });

  it('applies several movements atomically: a failing one rolls back the others', async () => {
    const a = await signup(s.http);
    const b = await signup(s.http);
    const err = await s.services.wallet
      .apply([
        credit({ userId: a.userId, currency: 'GOLD', amount: 300, reason: 'win' }),
        debit({ userId: b.userId, currency: 'GOLD', amount: 5000, reason: 'bet' }),
      ])
      .then(
        () => null,
        (e) => e,
      );
    expect(err).to.be.instanceOf(DomainError).with.property('code', 'wallet/insufficient_funds');
    expect((await s.services.wallet.balances(em(), a.userId)).GOLD).to.equal(1000);
    expect((await s.services.wallet.balances(em(), b.userId)).GOLD).to.equal(1000);

    const rows = await s.services.wallet.apply([
      debit({ userId: a.userId, currency: 'GOLD', amount: 100, reason: 'bet', refType: 'round', refId: 'r1' }),
      credit({ userId: a.userId, currency: 'GOLD', amount: 250, reason: 'win', refType: 'round', refId: 'r1' }),
    ]);
    expect(rows.map((r) => r.balanceAfter)).to.deep.equal([900, 1150]);
  });

  it('transfers between two wallets in one transaction, idempotently', async () => {
    const a = await signup(s.http);
    const b = await signup(s.http);
    const t = transfer({
      from: a.userId,
      to: b.userId,
      currency: 'GOLD',
      amount: 400,
      reason: 'transfer',
      idempotencyKey: `tr:${a.userId}`,
    });
    await s.services.wallet.apply(t);
    const again = await s.services.wallet.apply(t);
    expect(again.map((r) => r.applied)).to.deep.equal([false, false]);
    expect((await s.services.wallet.balances(em(), a.userId)).GOLD).to.equal(600);
    expect((await s.services.wallet.balances(em(), b.userId)).GOLD).to.equal(1400);
    const tooMuch = await s.services.wallet
      .apply(transfer({ from: a.userId, to: b.userId, currency: 'GOLD', amount: 601, reason: 'transfer' }))
      .then(
        () => null,
        (e) => e,
      );
    expect(tooMuch).to.be.instanceOf(DomainError).with.property('code', 'wallet/insufficient_funds');
    expect((await s.services.wallet.balances(em(), b.userId)).GOLD).to.equal(1400);
  });

  it('keeps the order of movements on one wallet (a bet may be covered only by its own win after it)', async () => {
    const u = await signup(s.http);
    const err = await s.services.wallet
      .apply([
        debit({ userId: u.userId, currency: 'GOLD', amount: 1500, reason: 'bet' }),
        credit({ userId: u.userId, currency: 'GOLD', amount: 2000, reason: 'win' }),
      ])
      .then(
        () => null,
        (e) => e,
      );
    expect(err).to.be.instanceOf(DomainError).with.property('code', 'wallet/insufficient_funds');
  });

  it('the database itself refuses a negative balance (CHECK constraint)', async () => {
    const u = await signup(s.http);
    const err = await em()
      .execute(`update wallets set balance = -1 where user_id = ? and currency = 'GOLD'`, [u.userId])
      .then(
        () => null,
        (e) => e,
      );
    expect(err?.message).to.match(/wallets_balance_non_negative/);
  });

  it('rejects non-integer and non-positive amounts before touching the database', () => {
    for (const amount of [0, -5, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => credit({ userId: 'x', currency: 'GOLD', amount, reason: 'reward' })).to.throw(DomainError, /positive integer/);
    }
  });

  it('GET /wallet/ledger pages newest first with a cursor', async () => {
    const u = await signup(s.http);
    for (let i = 1; i <= 5; i++) {
      await s.services.wallet.apply([credit({ userId: u.userId, currency: 'GOLD', amount: i, reason: 'reward' })]);
    }
    const p1 = await s.http.get('/api/wallet/ledger?limit=4', { token: u.access });
    expect(p1.status).to.equal(200);
    expect(p1.body.entries.map((e: { delta: number }) => e.delta)).to.deep.equal([5, 4, 3, 2]);
    expect(p1.body.next_cursor).to.be.a('number');
    const p2 = await s.http.get(`/api/wallet/ledger?limit=4&cursor=${p1.body.next_cursor}`, { token: u.access });
    expect(p2.body.entries.map((e: { delta: number }) => e.delta)).to.deep.equal([1, 1000]);
    expect(p2.body.next_cursor).to.equal(null);
    const bad = await s.http.get('/api/wallet/ledger?limit=0', { token: u.access });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal('request/invalid');
  });
});
