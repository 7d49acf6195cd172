import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SIGNED_OUT_CLOSE_CODE } from '../../domain/realtime/kick.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** Operators' actions on a player: ban / unban, sessions, lockout, wallet adjustments and their four-eyes approval. */
describe('admin players: actions', function () {
  this.timeout(60_000);
  let s: TestServer;
  let op: TestOperator;
  let op2: TestOperator;
  let support: TestOperator;
  const em = () => s.orm.em.fork() as EntityManager;
  const sql = <T = any>(q: string, p: unknown[] = []) => em().execute<T[]>(q, p);

  before(async () => {
    s = await startTestServer('admin_actions', { ADMIN_ADJUSTMENT_APPROVAL_THRESHOLD: 10_000, LOGIN_MAX_FAILURES: 3 });
    op = await createOperator(s, 'operator');
    op2 = await createOperator(s, 'admin');
    support = await createOperator(s, 'support');
  });
  after(async () => {
    await s?.stop();
  });

  const post = (who: TestOperator, path: string, body: unknown = {}, key = randomUUID()) =>
    s.http.post(`/api/admin/players${path}`, body, { token: who.access, headers: writeHeaders(key) });

  it('ban: a seated player is disconnected within 1 s as signed out, cannot rejoin, log in or use their token; unban lets them back', async () => {
    const p = await signup(s.http);
    const room = await joinAs(s.url, p.access, 'slot');
    const left = new Promise<{ code: number; at: number }>((resolve) => room.onLeave((code: number) => resolve({ code, at: Date.now() })));
    const t0 = Date.now();
    const res = await post(op, `/${p.userId}/ban`, { reason: 'chargeback fraud' });
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ status: 'banned', sessions_revoked: 1 });
    const { code, at } = await left;
    expect(code).to.equal(SIGNED_OUT_CLOSE_CODE);
    expect(at - t0).to.be.lessThan(1000);

    expect((await s.http.get('/api/auth/me', { token: p.access })).status).to.equal(401);
    let rejoin: unknown;
    await joinAs(s.url, p.access, 'slot').catch((err: unknown) => (rejoin = err));
    expect(rejoin, 'rejoin refused').to.be.an('error');
    const login = await s.http.post('/api/auth/login', { username: p.username, password: p.password });
    expect(login.status).to.equal(403);
    expect(login.body.error).to.equal('auth/account_disabled');
    expect((await s.http.post('/api/auth/refresh', { refresh_token: p.refresh })).status).to.equal(401);

    const [audit] = await sql(`select before, after, result, actor_id from audit_log where action = 'player.ban' and target_id = ?`, [
      p.userId,
    ]);
    expect(audit).to.deep.include({ result: 'ok', actor_id: op.id });
    expect(audit.before).to.deep.equal({ status: 'active' });
    expect(audit.after).to.include({ status: 'banned', reason: 'chargeback fraud' });
    const trail = await s.http.get(`/api/admin/players/${p.userId}/audit`, { token: op.access });
    expect(trail.body.items.map((r: { action: string }) => r.action)).to.deep.equal(['player.ban']);

    expect((await post(op, `/${p.userId}/unban`)).status).to.equal(200);
    expect((await s.http.post('/api/auth/login', { username: p.username, password: p.password })).status).to.equal(200);
  });

  it('ban and unban need players:ban (support: 403); an unknown player is 404; the reason is required', async () => {
    const p = await signup(s.http);
    expect((await post(support, `/${p.userId}/ban`, { reason: 'x' })).status).to.equal(403);
    expect((await post(op, `/${randomUUID()}/ban`, { reason: 'x' })).status).to.equal(404);
    const bad = await post(op, `/${p.userId}/ban`, {});
    expect(bad.status).to.equal(400);
    expect(bad.body.issues[0].path).to.equal('body.reason');
  });

  it('revokes every session (the token dies at once) and resets a login lockout (support may)', async () => {
    const p = await signup(s.http);
    expect((await post(support, `/${p.userId}/sessions/revoke`)).body).to.include({ sessions_revoked: 1 });
    expect((await s.http.get('/api/auth/me', { token: p.access })).status).to.equal(401);
    for (let i = 0; i < 3; i++) await s.http.post('/api/auth/login', { username: p.username, password: 'wrong password!' });
    expect((await s.http.post('/api/auth/login', { username: p.username, password: p.password })).status).to.equal(429);
    const reset = await post(support, `/${p.userId}/lockout/reset`);
    expect(reset.status, reset.text).to.equal(200);
    expect((await s.http.post('/api/auth/login', { username: p.username, password: p.password })).status).to.equal(200);
  });

  it('a wallet adjustment writes one admin_adjustment ledger entry with the operator in its metadata; the ledger reconciles', async () => {
    const p = await signup(s.http);
    const res = await post(op, `/${p.userId}/wallet/adjustments`, { currency: 'GEM', amount: 250, reason: 'goodwill', note: 'outage' });
    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.include({ status: 'applied', amount: 250, currency: 'GEM', requested_by: op.id });
    const [entry] = await sql(`select * from ledger_entries where user_id = ? and reason = 'admin_adjustment'`, [p.userId]);
    expect(Number(entry.delta)).to.equal(250);
    expect(entry.ref_id).to.equal(res.body.id);
    expect(entry.meta).to.include({ operator_id: op.id, reason_code: 'goodwill', note: 'outage' });
    expect(entry.meta.request_id).to.be.a('string');
    const debit = await post(op, `/${p.userId}/wallet/adjustments`, { currency: 'GEM', amount: -50, reason: 'correction' });
    expect(debit.status).to.equal(201);
    expect((await s.http.get('/api/wallet', { token: p.access })).body.balances.GEM).to.equal(200);
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('refuses a debit past zero with 409 wallet/would_go_negative and writes nothing; bad amounts and reasons are 400', async () => {
    const p = await signup(s.http);
    const res = await post(op, `/${p.userId}/wallet/adjustments`, { currency: 'GEM', amount: -1, reason: 'fraud' });
    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('wallet/would_go_negative');
    expect(await sql(`select 1 from ledger_entries where user_id = ? and reason = 'admin_adjustment'`, [p.userId])).to.have.length(0);
    expect(await sql(`select 1 from wallet_adjustments where user_id = ?`, [p.userId])).to.have.length(0);
    for (const [body, field] of [
      [{ currency: 'GEM', amount: 0, reason: 'fraud' }, 'body.amount'],
      [{ currency: 'GEM', amount: 1.5, reason: 'fraud' }, 'body.amount'],
      [{ currency: 'GEM', amount: 10 ** 12, reason: 'fraud' }, 'body.amount'],
      [{ currency: 'GEM', amount: 5, reason: 'because' }, 'body.reason'],
      [{ currency: 'USD', amount: 5, reason: 'fraud' }, 'body.currency'],
    ] as const) {
      const bad = await post(op, `/${p.userId}/wallet/adjustments`, body);
      expect(bad.status, JSON.stringify(body)).to.equal(400);
      expect(bad.body.issues[0].path).to.equal(field);
    }
    expect((await post(support, `/${p.userId}/wallet/adjustments`, { currency: 'GEM', amount: 5, reason: 'fraud' })).status).to.equal(403);
  });

  it('above the threshold an adjustment waits (202) until another operator approves it; it then applies exactly once', async () => {
    const p = await signup(s.http);
    const res = await post(op, `/${p.userId}/wallet/adjustments`, { currency: 'GOLD', amount: 20_000, reason: 'compensation' });
    expect(res.status, res.text).to.equal(202);
    expect(res.body.status).to.equal('pending');
    const list = await s.http.get('/api/admin/approvals?status=pending', { token: op2.access });
    expect(list.body.items.map((a: { id: string }) => a.id)).to.include(res.body.id);
    const approve = (who: TestOperator, key = randomUUID()) =>
      s.http.post(`/api/admin/approvals/${res.body.id}/approve`, {}, { token: who.access, headers: writeHeaders(key) });
    const own = await approve(op);
    expect(own.status).to.equal(403);
    expect(own.body.error).to.equal('admin/self_approval');
    expect(
      (await s.http.post(`/api/admin/approvals/${res.body.id}/approve`, {}, { token: support.access, headers: writeHeaders() })).status,
    ).to.equal(403);
    const ok = await approve(op2);
    expect(ok.status, ok.text).to.equal(200);
    expect(ok.body).to.include({ status: 'applied', decided_by: op2.id });
    expect((await approve(op2)).body.error).to.equal('admin/not_pending');
    const entries = await sql(`select meta from ledger_entries where user_id = ? and reason = 'admin_adjustment'`, [p.userId]);
    expect(entries).to.have.length(1);
    expect(entries[0].meta).to.include({ operator_id: op.id, approved_by: op2.id });

    const second = await post(op, `/${p.userId}/wallet/adjustments`, { currency: 'GOLD', amount: -50_000, reason: 'fraud' });
    expect(second.status).to.equal(202);
    const refused = await s.http.post(`/api/admin/approvals/${second.body.id}/approve`, {}, { token: op2.access, headers: writeHeaders() });
    expect(refused.status).to.equal(409);
    expect(refused.body.error).to.equal('wallet/would_go_negative');
    const rejected = await s.http.post(`/api/admin/approvals/${second.body.id}/reject`, {}, { token: op2.access, headers: writeHeaders() });
    expect(rejected.body.status).to.equal('rejected');
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('100 concurrent identical adjustment requests (one Idempotency-Key) write one ledger entry', async () => {
    const p = await signup(s.http);
    const key = randomUUID();
    const body = { currency: 'GEM', amount: 7, reason: 'goodwill', note: 'storm' };
    const answers = await Promise.all(Array.from({ length: 100 }, () => post(op, `/${p.userId}/wallet/adjustments`, body, key)));
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.every((st) => st === 201 || st === 409),
      statuses.join(','),
    ).to.equal(true);
    expect(await sql(`select 1 from ledger_entries where user_id = ? and reason = 'admin_adjustment'`, [p.userId])).to.have.length(1);
    const replay = await post(op, `/${p.userId}/wallet/adjustments`, body, key);
    expect(replay.status).to.equal(201);
    expect(replay.headers.get('idempotency-status')).to.equal('replayed');
  });
});
