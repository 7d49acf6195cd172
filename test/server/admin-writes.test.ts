import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import { writeFingerprint } from '../../server/http/admin-write.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, TEST_SECRETS, type TestServer } from '../helpers/test-server.ts';

const run = promisify(execFile);

describe('admin writes (Idempotency-Key, one transaction with the audit row, the writes switch)', () => {
  let s: TestServer;
  let admin: TestOperator;
  let support: TestOperator;
  let playerId: string;
  const sql = (q: string, params: unknown[] = []) => (s.orm.em.fork() as EntityManager).getConnection().execute(q, params);
  const notes = () => `/api/admin/players/${playerId}/notes`;
  const countNotes = async (text: string) => (await sql(`select count(*)::int as n from player_notes where text = ?`, [text]))[0].n;
  const countAudit = async (key: string, result = 'ok') =>
    (await sql(`select count(*)::int as n from audit_log where idempotency_key = ? and result = ?`, [key, result]))[0].n;
  before(async () => {
    s = await startTestServer('admin_writes');
    admin = await createOperator(s, 'admin');
    support = await createOperator(s, 'support');
    playerId = (await signup(s.http)).userId;
  });
  after(async () => {
    await s?.stop();
  });

  it('requires an Idempotency-Key: 400 request/invalid naming the header, nothing written', async () => {
    const missing = await s.http.post(notes(), { text: 'no key' }, { token: support.access });
    expect(missing.status).to.equal(400);
    expect(missing.body.error).to.equal('request/invalid');
    expect(missing.body.issues[0].path).to.equal('headers.idempotency-key');
    const bad = await s.http.post(notes(), { text: 'no key' }, { token: support.access, headers: { 'idempotency-key': 'has space' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.issues[0].path).to.equal('headers.idempotency-key');
    expect(await countNotes('no key')).to.equal(0);
  });

  it('a validation 400 stores nothing: the key can then be used with a valid body', async () => {
    const key = randomUUID();
    const invalid = await s.http.post(notes(), { text: '' }, { token: support.access, headers: writeHeaders(key) });
    expect(invalid.status).to.equal(400);
    expect(invalid.body.issues[0].path).to.equal('body.text');
    const ok = await s.http.post(notes(), { text: 'after a 400' }, { token: support.access, headers: writeHeaders(key) });
    expect(ok.status).to.equal(201);
    expect(ok.headers.get('idempotency-status')).to.equal(null);
  });

  it('same key and body → the stored response with Idempotency-Status: replayed; one effect, one audit row', async () => {
    const key = randomUUID();
    const first = await s.http.post(notes(), { text: 'replay me' }, { token: support.access, headers: writeHeaders(key) });
    expect(first.status).to.equal(201);
    expect(first.body).to.include({ player_id: playerId, author_id: support.id, author_name: support.username, text: 'replay me' });
    const again = await s.http.post(notes(), { text: 'replay me' }, { token: support.access, headers: writeHeaders(key) });
    expect(again.status).to.equal(201);
    expect(again.headers.get('idempotency-status')).to.equal('replayed');
    expect(again.body).to.deep.equal(first.body);
    expect(await countNotes('replay me')).to.equal(1);
    expect(await countAudit(key)).to.equal(1);

    const [row] = await sql(`select * from audit_log where idempotency_key = ?`, [key]);
    expect(row).to.include({
      actor_id: support.id,
      actor_role: 'support',
      action: 'player.note.add',
      target_type: 'player',
      target_id: playerId,
    });
    expect(row.before).to.equal(null);
    expect(row.after).to.deep.equal(first.body);
    expect(row.request_id).to.equal(first.headers.get('x-request-id'));
  });

  it('same key, different body → 409 idempotency/key_reuse', async () => {
    const key = randomUUID();
    await s.http.post(notes(), { text: 'first body' }, { token: support.access, headers: writeHeaders(key) });
    const res = await s.http.post(notes(), { text: 'second body' }, { token: support.access, headers: writeHeaders(key) });
    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('idempotency/key_reuse');
    expect(await countNotes('second body')).to.equal(0);
  });

  it('same key while the first is still running → 409 idempotency/in_progress with Retry-After: 1', async () => {
    const key = randomUUID();
    const body = { text: 'still running' };
    const fingerprint = writeFingerprint({ method: 'POST', path: notes(), body });
    await sql(`insert into admin_idempotency_keys (actor_id, key, fingerprint, status, started_at) values (?, ?, ?, 'running', now())`, [
      support.id,
      key,
      fingerprint,
    ]);
    const res = await s.http.post(notes(), body, { token: support.access, headers: writeHeaders(key) });
    expect(res.status).to.equal(409);
    expect(res.body.error).to.equal('idempotency/in_progress');
    expect(res.headers.get('retry-after')).to.equal('1');
  });

  it('a domain 4xx is stored too: a retry gets the same answer, and the audit log has a `failed` row', async () => {
    const key = randomUUID();
    const unknown = `/api/admin/players/${randomUUID()}/notes`;
    const first = await s.http.post(unknown, { text: 'nobody' }, { token: support.access, headers: writeHeaders(key) });
    expect(first.status).to.equal(404);
    expect(first.body.error).to.equal('resource/not_found');
    const again = await s.http.post(unknown, { text: 'nobody' }, { token: support.access, headers: writeHeaders(key) });
    expect(again.status).to.equal(404);
    expect(again.headers.get('idempotency-status')).to.equal('replayed');
    expect(again.body.message).to.equal(first.body.message);
    expect(await countAudit(key, 'failed')).to.equal(1);
    expect(await countAudit(key, 'ok')).to.equal(0);
  });

  it('100 concurrent identical requests with one key → exactly one effect and one audit row', async () => {
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 100 }, () => s.http.post(notes(), { text: 'storm' }, { token: support.access, headers: writeHeaders(key) })),
    );
    const statuses = replies.map((r) => (r.status === 201 && r.headers.get('idempotency-status') ? 'replayed' : String(r.status)));
    expect(statuses.filter((x) => x === '201')).to.have.length(1);
    expect(
      statuses.every((x) => ['201', 'replayed', '409'].includes(x)),
      statuses.join(','),
    ).to.equal(true);
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.error).to.equal('idempotency/in_progress');
    expect(await countNotes('storm')).to.equal(1);
    expect(await countAudit(key)).to.equal(1);
  });

  it('lists a player’s notes newest first (players:read), 404 for an unknown player', async () => {
    const viewer = await createOperator(s, 'viewer');
    const res = await s.http.get(`${notes()}?limit=2`, { token: viewer.access });
    expect(res.status).to.equal(200);
    expect(res.body.items).to.have.length(2);
    expect(res.body.next_cursor).to.be.a('string');
    const next = await s.http.get(`${notes()}?limit=2&cursor=${res.body.next_cursor}`, { token: viewer.access });
    expect(next.body.items[0].id).to.not.equal(res.body.items[1].id);
    expect((await s.http.get(`/api/admin/players/${randomUUID()}/notes`, { token: viewer.access })).status).to.equal(404);
    expect((await s.http.get(`/api/admin/players/not-a-uuid/notes`, { token: viewer.access })).status).to.equal(400);
  });

  describe('the writes switch', () => {
    afterEach(async () => {
      await s.http.request('PUT', '/api/admin/settings/writes', { token: admin.access, body: { enabled: true } });
    });

    it('off → writes answer 503 admin/writes_disabled, reads keep working, and the switch itself still works', async () => {
      const off = await s.http.request('PUT', '/api/admin/settings/writes', { token: admin.access, body: { enabled: false } });
      expect(off.status).to.equal(200);
      expect(off.body).to.deep.equal({ writes_enabled: false });
      expect((await s.http.get('/api/admin/settings', { token: support.access })).body).to.deep.equal({ writes_enabled: false });

      const write = await s.http.post(notes(), { text: 'while off' }, { token: support.access, headers: writeHeaders() });
      expect(write.status).to.equal(503);
      expect(write.body.error).to.equal('admin/writes_disabled');
      expect(await countNotes('while off')).to.equal(0);
      expect((await s.http.get(notes(), { token: support.access })).status).to.equal(200);

      const on = await s.http.request('PUT', '/api/admin/settings/writes', { token: admin.access, body: { enabled: true } });
      expect(on.body).to.deep.equal({ writes_enabled: true });
      expect((await s.http.post(notes(), { text: 'back on' }, { token: support.access, headers: writeHeaders() })).status).to.equal(201);

      const [row] = await sql(`select * from audit_log where action = 'settings.writes.set' and actor_id = ? order by at limit 1`, [
        admin.id,
      ]);
      expect(row.before).to.deep.equal({ enabled: true });
      expect(row.after).to.deep.equal({ enabled: false });
    });

    it('only settings:write may flip it (403 for an operator)', async () => {
      const op = await createOperator(s, 'operator');
      const res = await s.http.request('PUT', '/api/admin/settings/writes', { token: op.access, body: { enabled: false } });
      expect(res.status).to.equal(403);
    });

    it('`npm run admin:writes -- off|on` flips it without a restart', async () => {
      const env = { ...process.env, ...TEST_SECRETS, NODE_ENV: 'test', DATABASE_URL: s.config.DATABASE_URL, REDIS_URL: s.config.REDIS_URL };
      const cli = (arg: string) => run('node', ['--import', 'tsx', 'server/cli/admin-writes.ts', arg], { env });
      expect((await cli('off')).stdout).to.match(/admin writes are off/);
      const write = await s.http.post(notes(), { text: 'cli off' }, { token: support.access, headers: writeHeaders() });
      expect(write.status).to.equal(503);
      expect((await cli('on')).stdout).to.match(/admin writes are on/);
      expect((await s.http.post(notes(), { text: 'cli on' }, { token: support.access, headers: writeHeaders() })).status).to.equal(201);
    });
  });
});
