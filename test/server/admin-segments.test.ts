import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** The segments API (CRUD, If-Match, previews) and player tags, through HTTP with RBAC and the audit log. */
describe('admin segments and player tags API', function () {
  this.timeout(60_000);
  let s: TestServer;
  let admin: TestOperator;
  let operator: TestOperator;
  let support: TestOperator;
  let viewer: TestOperator;
  const players: string[] = [];
  const sql = (q: string, params: unknown[] = []) => (s.orm.em.fork() as EntityManager).execute(q, params);
  const as = (op: TestOperator) => ({
    get: (path: string) => s.http.get(path, { token: op.access }),
    send: (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      s.http.request(method, path, { token: op.access, body, headers: { ...writeHeaders(), ...headers } }),
  });
  const rule = { all: [{ fact: 'level', min: 5 }, { not: { fact: 'purchases', window: { days: 7 }, min: 1 } }] };

  before(async () => {
    s = await startTestServer('admin_segments');
    [admin, operator, support, viewer] = [
      await createOperator(s, 'admin'),
      await createOperator(s, 'operator'),
      await createOperator(s, 'support'),
      await createOperator(s, 'viewer'),
    ];
    for (let i = 0; i < 30; i++) players.push((await signup(s.http)).userId);
    for (const [i, id] of players.entries()) await sql(`update users set level = ? where id = ?`, [1 + (i % 10), id]);
  });
  after(async () => {
    await s?.stop();
  });

  it('previews a rule: the count, a sample of at most 20 players with balances, and the time taken; viewers may', async () => {
    const res = await as(viewer).send('POST', '/api/admin/segments/preview', { rule });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.count).to.equal(18); // levels 5..10 of 1..10, three players each
    expect(res.body.sample).to.have.length(18);
    expect(res.body.sample[0]).to.have.keys(['id', 'username', 'level', 'status', 'gold', 'gem', 'last_seen_at']);
    expect(res.body.sample.every((p: { level: number }) => p.level >= 5)).to.equal(true);
    expect(res.body.took_ms).to.be.a('number');
    const all = await as(viewer).send('POST', '/api/admin/segments/preview', { rule: { all: [] } });
    expect(all.body.count).to.equal(30);
    expect(all.body.sample).to.have.length(20);
  });

  it('answers 400 naming the field of a bad rule', async () => {
    const bad = await as(operator).send('POST', '/api/admin/segments/preview', {
      rule: {
        all: [
          { fact: 'level', min: 5 },
          { fact: 'wagered', game: 'poker', window: { days: 7 }, min: 1 },
        ],
      },
    });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.equal('request/invalid');
    expect(bad.body.issues.map((i: { path: string }) => i.path)).to.include('body.rule.all.1.game');
    const unknown = await as(operator).send('POST', '/api/admin/segments/preview', { rule: { fact: 'karma', min: 1 } });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.issues[0].path).to.equal('body.rule.fact');
    expect(unknown.body.message).to.match(/unknown fact "karma"/);
  });

  it('creates, reads, lists, updates under If-Match and deletes a segment, each write audited', async () => {
    const created = await as(operator).send('POST', '/api/admin/segments', { name: 'Lapsed high levels', rule });
    expect(created.status, created.text).to.equal(201);
    expect(created.body).to.include({ name: 'Lapsed high levels', description: '', version: 1, created_by: operator.id });
    expect(created.body.rule).to.deep.equal(rule);
    const id = created.body.id as string;

    expect((await as(viewer).get(`/api/admin/segments/${id}`)).body).to.deep.equal(created.body);
    const preview = await as(viewer).get(`/api/admin/segments/${id}/preview`);
    expect(preview.body.count).to.equal(18);
    const list = await as(viewer).get('/api/admin/segments?limit=5');
    expect(list.body.items.map((x: { id: string }) => x.id)).to.include(id);

    const dup = await as(operator).send('POST', '/api/admin/segments', { name: 'Lapsed high levels', rule: { all: [] } });
    expect([dup.status, dup.body.error]).to.deep.equal([409, 'segment/name_taken']);

    const next = {
      name: 'Lapsed level 8+',
      description: 'no purchase in a week',
      rule: { ...rule, all: [{ fact: 'level', min: 8 }, rule.all[1]] },
    };
    const updated = await as(operator).send('PUT', `/api/admin/segments/${id}`, next, { 'if-match': '1' });
    expect(updated.status, updated.text).to.equal(200);
    expect(updated.body).to.include({ version: 2, name: 'Lapsed level 8+', description: 'no purchase in a week' });
    const stale = await as(operator).send('PUT', `/api/admin/segments/${id}`, { ...next, name: 'Stale edit' }, { 'if-match': '1' });
    expect([stale.status, stale.body.error, stale.body.current_version]).to.deep.equal([409, 'segment/stale_version', 2]);
    expect((await as(viewer).get(`/api/admin/segments/${id}/preview`)).body.count).to.equal(9);

    const audit = await as(admin).get(`/api/admin/audit?target=${id}`);
    const actions = audit.body.items.map((a: { action: string; result: string }) => `${a.action}:${a.result}`);
    expect(actions).to.include.members(['segment.create:ok', 'segment.update:ok', 'segment.update:failed']);
    const update = audit.body.items.find((a: { action: string; result: string }) => a.action === 'segment.update' && a.result === 'ok');
    expect([update.before.version, update.after.version, update.actor_id]).to.deep.equal([1, 2, operator.id]);

    const deleted = await as(operator).send('DELETE', `/api/admin/segments/${id}`);
    expect(deleted.status, deleted.text).to.equal(200);
    expect((await as(viewer).get(`/api/admin/segments/${id}`)).status).to.equal(404);
    expect((await as(operator).send('DELETE', `/api/admin/segments/${id}`)).status).to.equal(404);
  });

  it('refuses segment writes to support and viewers (403, audited as denied)', async () => {
    for (const op of [support, viewer]) {
      const res = await as(op).send('POST', '/api/admin/segments', { name: `Denied ${op.role}`, rule });
      expect([res.status, res.body.error]).to.deep.equal([403, 'auth/forbidden']);
    }
    const denied = await as(admin).get(`/api/admin/audit?actor=${viewer.id}&result=denied`);
    expect(denied.body.items.map((a: { action: string }) => a.action)).to.include('postAdminSegments');
  });

  it('tags and untags a player (support may; viewers may only read), audited, and segment rules see the tags', async () => {
    const [p1, p2] = players;
    const put = await as(support).send('PUT', `/api/admin/players/${p1}/tags/vip`);
    expect(put.status, put.text).to.equal(200);
    expect(put.body).to.deep.include({ player_id: p1, changed: true });
    expect(put.body.tags.map((t: { tag: string }) => t.tag)).to.deep.equal(['vip']);
    expect((await as(support).send('PUT', `/api/admin/players/${p1}/tags/vip`)).body.changed).to.equal(false);
    await as(support).send('PUT', `/api/admin/players/${p2}/tags/vip`);
    await as(support).send('PUT', `/api/admin/players/${p1}/tags/beta-2`);

    const read = await as(viewer).get(`/api/admin/players/${p1}/tags`);
    expect(read.body.tags.map((t: { tag: string }) => t.tag)).to.deep.equal(['beta-2', 'vip']);
    expect((await as(viewer).send('PUT', `/api/admin/players/${p1}/tags/x`)).status).to.equal(403);

    const inUse = await as(viewer).get('/api/admin/tags');
    expect(inUse.body.items).to.deep.include({ tag: 'vip', players: 2 });
    const vip = await as(viewer).send('POST', '/api/admin/segments/preview', { rule: { fact: 'has_tag', tag: 'vip' } });
    expect(vip.body.count).to.equal(2);

    const del = await as(support).send('DELETE', `/api/admin/players/${p2}/tags/vip`);
    expect(del.body).to.deep.include({ changed: true, tags: [] });
    expect((await as(support).send('DELETE', `/api/admin/players/${p2}/tags/vip`)).body.changed).to.equal(false);

    const audit = await as(admin).get(`/api/admin/audit?target=${p2}`);
    const tagRows = audit.body.items.filter((a: { action: string }) => a.action.startsWith('player.tag.'));
    expect(tagRows.map((a: { action: string }) => a.action)).to.include.members(['player.tag.add', 'player.tag.remove']);
    const removals = tagRows.filter((a: { action: string }) => a.action === 'player.tag.remove');
    expect(removals.map((a: { before: unknown; after: unknown }) => [a.before, a.after])).to.deep.include.members([
      [{ tags: ['vip'] }, { tags: [] }],
      [{ tags: [] }, { tags: [] }],
    ]);
  });

  it('refuses a malformed tag (400 naming params.tag) and an unknown player (404)', async () => {
    const bad = await as(support).send('PUT', `/api/admin/players/${players[0]}/tags/${encodeURIComponent('VIP!')}`);
    expect(bad.status).to.equal(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).to.include('params.tag');
    const nobody = await as(support).send('PUT', '/api/admin/players/00000000-0000-4000-8000-000000000000/tags/vip');
    expect(nobody.status).to.equal(404);
    expect((await as(viewer).get(`/api/admin/players/${operator.id}/tags`)).status).to.equal(404);
  });

  it('replays a segment create with the same Idempotency-Key instead of creating it twice', async () => {
    const headers = writeHeaders();
    const a = await as(operator).send('POST', '/api/admin/segments', { name: 'Replayed', rule }, headers);
    const b = await as(operator).send('POST', '/api/admin/segments', { name: 'Replayed', rule }, headers);
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    expect(b.headers.get('idempotency-status')).to.equal('replayed');
    expect(b.body.id).to.equal(a.body.id);
  });
});
