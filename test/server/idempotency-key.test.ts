import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signup, startSeededServer, type HttpResponse, type TestServer } from '../helpers/test-server.ts';

/** Keys every route that reads Idempotency-Key refuses the same way (1-128 visible ASCII characters are allowed). */
const BAD_KEYS: Array<[string, string]> = [
  ['a 200-character key', 'k'.repeat(200)],
  ['a 129-character key', 'k'.repeat(129)],
  ['a key with a space', 'retry 1 of my claim'],
  ['a key with a tab', 'retry\t1'],
  ['a key with a non-ASCII character', 'clé-0001'],
];
/** The longest key allowed, with every kind of visible ASCII character. */
const LONGEST_KEY = `${'~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./'.repeat(4)}`.padEnd(128, 'K');

describe('Idempotency-Key validation (claims and purchases)', function () {
  this.timeout(30_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  const sql = <T>(q: string, params: unknown[] = []) => em().execute<T[]>(q, params);

  before(async () => {
    s = await startSeededServer('idemkey');
  });
  after(async () => {
    await s?.stop();
  });

  /** A player with the daily_spinner event and the d_slot_10 mission complete (claimable). */
  async function playerWithRewards() {
    const u = await signup(s.http);
    const events = (await s.http.get('/api/events', { token: u.access })).body.events as Array<{ id: string; code: string }>;
    const event = events.find((e) => e.code === 'daily_spinner')!;
    expect((await s.http.post(`/api/events/${event.id}/participate`, undefined, { token: u.access })).status).to.equal(200);
    await sql(`update event_participations set progress = 30, status = 'claimable' where user_id = ? and event_id = ?`, [
      u.userId,
      event.id,
    ]);
    const missions = (await s.http.get('/api/missions', { token: u.access })).body.missions as Array<{
      id: string;
      code: string;
      period_key: string;
    }>;
    const mission = missions.find((m) => m.code === 'd_slot_10')!;
    await sql(
      `insert into user_missions (id, user_id, mission_id, period_key, progress, progress_version, status) values (?, ?, ?, ?, 10, 1, 'claimable')`,
      [randomUUID(), u.userId, mission.id, mission.period_key],
    );
    return { ...u, eventId: event.id, missionId: mission.id };
  }

  /** What a refused request must leave alone: balances, claims, purchases and stored keys. */
  async function snapshot(userId: string, token: string) {
    const [counts] = await sql<Record<string, number>>(
      `select (select count(*)::int from reward_grants where user_id = ?) as grants,
              (select count(*)::int from purchases where user_id = ?) as purchases,
              (select count(*)::int from idempotency_keys where user_id = ?) as keys,
              (select count(*)::int from event_participations where user_id = ? and status = 'claimable') as claimable_events,
              (select count(*)::int from user_missions where user_id = ? and status = 'claimable') as claimable_missions`,
      [userId, userId, userId, userId, userId],
    );
    return { ...counts, balances: (await s.http.get('/api/wallet', { token })).body.balances };
  }

  const routes: Array<[string, (u: Awaited<ReturnType<typeof playerWithRewards>>, key: string) => Promise<HttpResponse>]> = [
    [
      'POST /api/events/{id}/claim',
      (u, key) => s.http.post(`/api/events/${u.eventId}/claim`, undefined, { token: u.access, headers: { 'idempotency-key': key } }),
    ],
    [
      'POST /api/missions/{id}/claim',
      (u, key) => s.http.post(`/api/missions/${u.missionId}/claim`, undefined, { token: u.access, headers: { 'idempotency-key': key } }),
    ],
    [
      'POST /api/shop/purchase',
      (u, key) =>
        s.http.post('/api/shop/purchase', { sku: 'xp_booster', quantity: 1 }, { token: u.access, headers: { 'idempotency-key': key } }),
    ],
  ];

  for (const [route, send] of routes) {
    it(`${route} answers 400 request/invalid to a key that is too long or has characters outside visible ASCII, changing nothing`, async () => {
      const u = await playerWithRewards();
      const before = await snapshot(u.userId, u.access);
      for (const [what, key] of BAD_KEYS) {
        const res = await send(u, key);
        expect(res.status, what).to.equal(400);
        expect(res.body.error, what).to.equal('request/invalid');
        expect(res.body.message, what).to.match(/Idempotency-Key/);
        expect(res.text, what).to.not.match(/\bat .*\.(ts|js):\d+|node_modules/);
      }
      expect(await snapshot(u.userId, u.access)).to.deep.equal(before);
    });
  }

  it('accepts the longest allowed key on every route (it fits the stored key column), and a retry with it replays', async () => {
    const u = await playerWithRewards();
    for (const [route, send] of routes) {
      const first = await send(u, LONGEST_KEY);
      expect(first.status, route).to.equal(200);
      const again = await send(u, LONGEST_KEY);
      expect(again.status, route).to.equal(200);
      expect(again.body.purchase_id ?? again.body.progress_version, route).to.deep.equal(
        first.body.purchase_id ?? first.body.progress_version,
      );
    }
    const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from reward_grants where user_id = ?', [u.userId]);
    expect(n).to.equal(2);
  });
});
