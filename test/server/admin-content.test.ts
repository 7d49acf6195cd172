import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { eventually } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

const code = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();
/** The player's dashboard shows a change within the definitions' cache (2 s) and the dashboard's (5 s). */
const DASHBOARD_WAIT_MS = 15_000;

describe('admin: event and mission authoring', function () {
  this.timeout(90_000);
  let s: TestServer;
  let operator: TestOperator;
  let viewer: TestOperator;
  const em = () => s.orm.em.fork() as EntityManager;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = operator.access) =>
    s.http.request(method, path, { token, body, headers: { ...writeHeaders(), ...headers } });
  const newEvent = (extra: Record<string, unknown> = {}) =>
    send('POST', '/api/admin/events', {
      code: code('ev'),
      name: 'Spin a bit',
      type: 'limited',
      condition: { metric: 'rounds', game: 'slot', target: 3 },
      reward: { gold: 50 },
      ...extra,
    });
  const newMission = (extra: Record<string, unknown> = {}) =>
    send('POST', '/api/admin/missions', {
      code: code('mi'),
      name: 'Ten spins',
      period: 'daily',
      condition: { metric: 'rounds', game: 'slot', target: 10 },
      reward: { gold: 100 },
      ...extra,
    });
  /** A finished slot session of `rounds` rounds, closed through the live-ops session-end hook. */
  const play = async (userId: string, rounds: number) => {
    const id = await s.services.games.openSession(userId, 'slot', 'manual');
    await em().execute('update game_sessions set rounds = ? where id = ?', [rounds, id]);
    await s.services.games.closeSession(id);
  };
  const dashboardCodes = async (token: string) => {
    const d = (await s.http.get('/api/dashboard', { token })).body;
    return [...d.events, ...d.missions].map((x: { code: string }) => x.code);
  };
  const playerMission = async (token: string, missionCode: string) =>
    (await s.http.get('/api/missions', { token })).body.missions.find((m: { code: string }) => m.code === missionCode);

  before(async () => {
    s = await startTestServer('admin_content');
    operator = await createOperator(s, 'operator');
    viewer = await createOperator(s, 'viewer');
  });
  after(async () => {
    await s?.stop();
  });

  it('creates, reads, lists (by status, paged) and edits an event; every edit keeps the replaced definition', async () => {
    const created = await newEvent({ description: 'Three spins' });
    expect(created.status, created.text).to.equal(201);
    expect(created.body).to.include({ status: 'draft', active: false, version: 1, type: 'limited', description: 'Three spins' });
    const id = created.body.id;
    const one = await s.http.get(`/api/admin/events/${id}`, { token: viewer.access });
    expect(one.body).to.deep.equal(created.body);

    const edited = await send('PATCH', `/api/admin/events/${id}`, { name: 'Spin more', rank: 3 }, { 'if-match': '1' });
    expect(edited.status, edited.text).to.equal(200);
    expect(edited.body).to.include({ id, name: 'Spin more', rank: 3, version: 2 });
    const revisions = (await s.http.get(`/api/admin/events/${id}/revisions`, { token: viewer.access })).body.items;
    expect(revisions).to.have.length(1);
    expect(revisions[0]).to.include({ version: 1, edited_by: operator.id, edited_by_name: operator.username });
    expect(revisions[0].definition).to.include({ name: 'Spin a bit', rank: 0, code: created.body.code });

    const drafts = await s.http.get('/api/admin/events?status=draft&limit=200', { token: viewer.access });
    expect(drafts.body.items.map((e: { id: string }) => e.id)).to.include(id);
    const live = await s.http.get('/api/admin/events?status=active&limit=200', { token: viewer.access });
    expect(live.body.items.map((e: { id: string }) => e.id)).to.not.include(id);
    await newEvent();
    const first = await s.http.get('/api/admin/events?limit=1', { token: viewer.access });
    expect(first.body.items).to.have.length(1);
    const second = await s.http.get(`/api/admin/events?limit=1&cursor=${first.body.next_cursor}`, { token: viewer.access });
    expect(second.body.items[0].id).to.not.equal(first.body.items[0].id);

    const taken = await newMission({ code: (await newMission()).body.code });
    expect(taken.status).to.equal(400);
    expect(taken.body.issues.map((i: { path: string }) => i.path)).to.deep.equal(['body.code']);
    expect((await s.http.get(`/api/admin/missions/${randomUUID()}`, { token: viewer.access })).status).to.equal(404);
  });

  it('refuses an invalid condition or reward with 400 naming the field (the live-ops schemas)', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ condition: { metric: 'jumps', target: 3 } }, 'body.condition.metric'],
      [{ condition: { metric: 'rounds', target: 0 } }, 'body.condition.target'],
      [{ condition: { metric: 'rounds', game: 'chess', target: 3 } }, 'body.condition.game'],
      [{ condition: { metric: 'rounds', target: 3, bonus: 1 } }, 'body.condition'],
      [{ reward: {} }, 'body.reward'],
      [{ reward: { gold: -5 } }, 'body.reward.gold'],
      [{ reward: { items: [{ item_id: 'x', quantity: 0 }] } }, 'body.reward.items.0.quantity'],
      [{ starts_at: hours(2), ends_at: hours(1) }, 'body.ends_at'],
    ];
    for (const [fields, path] of cases) {
      const res = await newEvent(fields);
      expect(res.status, JSON.stringify(fields)).to.equal(400);
      expect(res.body.error).to.equal('request/invalid');
      expect(res.body.issues.map((i: { path: string }) => i.path)).to.include(path);
    }
    const mission = (await newMission()).body;
    const patch = await send('PATCH', `/api/admin/missions/${mission.id}`, { reward: { gem: 1.5 } });
    expect(patch.status).to.equal(400);
    expect(patch.body.issues.map((i: { path: string }) => i.path)).to.include('body.reward.gem');
  });

  it('answers 409 resource/version_conflict to an edit based on an old version, and changes nothing', async () => {
    const ev = (await newEvent()).body;
    expect((await send('PATCH', `/api/admin/events/${ev.id}`, { name: 'First' }, { 'if-match': '1' })).status).to.equal(200);
    const stale = await send('PATCH', `/api/admin/events/${ev.id}`, { name: 'Second' }, { 'if-match': '1' });
    expect(stale.status).to.equal(409);
    expect(stale.body).to.include({ error: 'resource/version_conflict', current_version: 2 });
    const publishStale = await send('POST', `/api/admin/events/${ev.id}/publish`, undefined, { 'if-match': '1' });
    expect(publishStale.status).to.equal(409);
    expect((await s.http.get(`/api/admin/events/${ev.id}`, { token: viewer.access })).body).to.include({ name: 'First', active: false });
  });

  it("publish puts an event and a mission on a player's dashboard, unpublish takes them off", async () => {
    const player = await signup(s.http);
    const ev = (await newEvent()).body;
    const mi = (await newMission()).body;
    for (const [path, item] of [
      ['events', ev],
      ['missions', mi],
    ]) {
      const res = await send('POST', `/api/admin/${path}/${item.id}/publish`);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.changed).to.equal(true);
      expect(res.body[path === 'events' ? 'event' : 'mission']).to.include({ active: true, status: 'live', version: 2 });
    }
    expect((await send('POST', `/api/admin/events/${ev.id}/publish`)).body.changed).to.equal(false);
    const shown = await eventually(
      () => dashboardCodes(player.access),
      (c) => c.includes(ev.code) && c.includes(mi.code),
      DASHBOARD_WAIT_MS,
    );
    expect(shown).to.include.members([ev.code, mi.code]);

    await send('POST', `/api/admin/events/${ev.id}/unpublish`);
    await send('POST', `/api/admin/missions/${mi.id}/unpublish`);
    const hidden = await eventually(
      () => dashboardCodes(player.access),
      (c) => !c.includes(ev.code) && !c.includes(mi.code),
      DASHBOARD_WAIT_MS,
    );
    expect(hidden).to.not.include.members([ev.code]);
    const revisions = (await s.http.get(`/api/admin/missions/${mi.id}/revisions`, { token: viewer.access })).body.items;
    expect(revisions.map((r: { version: number }) => r.version)).to.deep.equal([2, 1]);
  });

  it('schedules: a future start is "scheduled" and hidden from players, a past end is "ended"; missions honour it too', async () => {
    const player = await signup(s.http);
    const ev = (await newEvent({ active: true, starts_at: hours(5), ends_at: hours(30) })).body;
    expect(ev.status).to.equal('scheduled');
    const mi = (await newMission({ active: true })).body;
    const window = { starts_at: hours(-30), ends_at: hours(-1) };
    const scheduled = await send('POST', `/api/admin/missions/${mi.id}/schedule`, window);
    expect(scheduled.status, scheduled.text).to.equal(200);
    expect(scheduled.body).to.include({ status: 'ended', ...window });
    const bad = await send('POST', `/api/admin/missions/${mi.id}/schedule`, { starts_at: hours(2), ends_at: hours(1) });
    expect(bad.body.issues.map((i: { path: string }) => i.path)).to.deep.equal(['body.ends_at']);

    const ended = (await s.http.get('/api/admin/missions?status=ended&limit=200', { token: viewer.access })).body.items;
    expect(ended.map((m: { id: string }) => m.id)).to.include(mi.id);
    const upcoming = (await s.http.get('/api/admin/events?status=scheduled&limit=200', { token: viewer.access })).body.items;
    expect(upcoming.map((e: { id: string }) => e.id)).to.include(ev.id);

    // published, yet outside their schedules: players never see them, and play does not progress the mission
    await new Promise((r) => setTimeout(r, 2_500)); // past the definitions' cache
    await play(player.userId, 12);
    expect(await dashboardCodes(player.access)).to.not.include.members([ev.code, mi.code]);
    const [row] = await em().execute('select count(*)::int as n from user_missions where mission_id = ?', [mi.id]);
    expect(row.n).to.equal(0);
  });

  it("keeps a player's progress across an edit of a live mission's target and reward, and the new target decides completion", async () => {
    const player = await signup(s.http);
    const mi = (await newMission({ active: true })).body;
    await eventually(
      () => playerMission(player.access, mi.code),
      (m) => !!m,
      DASHBOARD_WAIT_MS,
    );
    await play(player.userId, 3);
    expect(await playerMission(player.access, mi.code)).to.include({ progress: 3, target: 10, status: 'active' });

    const edited = await send(
      'PATCH',
      `/api/admin/missions/${mi.id}`,
      { condition: { metric: 'rounds', game: 'slot', target: 5 }, reward: { gold: 250 } },
      { 'if-match': String(mi.version) },
    );
    expect(edited.status, edited.text).to.equal(200);
    expect(edited.body.id).to.equal(mi.id);
    const after = await eventually(
      () => playerMission(player.access, mi.code),
      (m) => m.target === 5,
      DASHBOARD_WAIT_MS,
    );
    expect(after).to.include({ progress: 3, status: 'active' });

    await play(player.userId, 2);
    expect(await playerMission(player.access, mi.code)).to.include({ progress: 5, status: 'claimable' });
    const gold = (await s.services.wallet.balances(em(), player.userId)).GOLD;
    const claim = await s.http.post(`/api/missions/${mi.id}/claim`, undefined, { token: player.access });
    expect(claim.status, claim.text).to.equal(200);
    expect((await s.services.wallet.balances(em(), player.userId)).GOLD).to.equal(gold + 250);
    const [revision] = (await s.http.get(`/api/admin/missions/${mi.id}/revisions`, { token: viewer.access })).body.items;
    expect(revision.definition).to.deep.include({ condition: { metric: 'rounds', game: 'slot', target: 10 }, reward: { gold: 100 } });

    // what the progress counts cannot change while it is live: refused, naming the field, and nothing written
    for (const [patch, field] of [
      [{ condition: { metric: 'wagered', game: 'slot', target: 5 } }, 'body.condition.metric'],
      [{ condition: { metric: 'rounds', game: 'crash', target: 5 } }, 'body.condition.game'],
      [{ period: 'weekly' }, 'body.period'],
    ] as const) {
      const refused = await send('PATCH', `/api/admin/missions/${mi.id}`, patch);
      expect(refused.status, refused.text).to.equal(422);
      expect(refused.body).to.include({ error: 'content/live_change_refused', field });
    }
    const current = (await s.http.get(`/api/admin/missions/${mi.id}`, { token: viewer.access })).body;
    expect(current).to.deep.include({ version: edited.body.version, condition: { metric: 'rounds', game: 'slot', target: 5 } });
  });

  it('who qualifies now: the players whose play in the window already meets the condition (the segment engine)', async () => {
    const ev = (await newEvent({ condition: { metric: 'rounds', game: 'slot', target: 4 } })).body;
    const weekly = (await newMission({ period: 'weekly', condition: { metric: 'sessions', target: 2 } })).body;
    const [enough, short] = [await signup(s.http), await signup(s.http)];
    await play(enough.userId, 3);
    await play(enough.userId, 2);
    await play(short.userId, 3);
    const res = await s.http.get(`/api/admin/events/${ev.id}/qualifies`, { token: viewer.access });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.window.from).to.equal(ev.created_at);
    const ids = res.body.sample.map((p: { user_id: string }) => p.user_id);
    expect(ids).to.include(enough.userId).and.not.include(short.userId);
    expect(res.body.count).to.equal(1); // only play since the event was made counts

    const q = (await s.http.get(`/api/admin/missions/${weekly.id}/qualifies`, { token: viewer.access })).body;
    expect(q.sample.map((p: { user_id: string }) => p.user_id)).to.deep.equal([enough.userId]);
    const future = (await newEvent({ starts_at: hours(1) })).body;
    expect((await s.http.get(`/api/admin/events/${future.id}/qualifies`, { token: viewer.access })).body).to.include({ count: 0 });
  });

  it('lets a viewer read and refuses its writes; every write is audited', async () => {
    const ev = (await newEvent()).body;
    const denied = await send('POST', '/api/admin/events', { code: code('ev') }, {}, viewer.access);
    expect(denied.status).to.equal(403);
    expect((await send('POST', `/api/admin/events/${ev.id}/publish`, undefined, {}, viewer.access)).status).to.equal(403);
    expect((await s.http.get(`/api/admin/events/${ev.id}/qualifies`, { token: viewer.access })).status).to.equal(200);
    const noKey = await s.http.post('/api/admin/missions', {}, { token: operator.access });
    expect(noKey.status).to.equal(400);
    const [audit] = await em().execute(`select action, target_id from audit_log where target_id = ? order by at limit 1`, [ev.id]);
    expect(audit).to.deep.equal({ action: 'event.create', target_id: ev.id });
  });
});
