import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { DEMO_EVENTS, DEMO_MISSIONS } from '../../server/db/seeders/demo-liveops.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedLiveOps, seedProducts } from '../../server/db/seeders/seed-data.ts';
import { User } from '../../server/db/entities/index.ts';
import { recentSessionsRead } from '../../server/db/repositories/game-session.repository.ts';
import { gameStatsRead } from '../../server/db/repositories/user.repository.ts';
import { readTogether, runRead, type ReadPart } from '../../server/db/sql.ts';
import { toPublicUser } from '../../server/services/auth/auth.service.ts';
import { ProfileService } from '../../server/services/liveops/profile.service.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** A clock the test moves (period rollover, expiry). */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

describe('live-ops loop', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('liveops', {}, { clock });
    await seedLiveOps(
      em(),
      [
        ...DEMO_EVENTS,
        {
          code: 't_spin_5',
          name: 'Five spins',
          description: '',
          type: 'limited',
          condition: { metric: 'rounds', game: 'slot', target: 5 },
          reward: { gold: 70, gem: 2 },
          days: 1,
          rank: 9,
        },
      ],
      DEMO_MISSIONS,
      new Date(),
    );
  });
  after(async () => {
    await s?.stop();
  });
  afterEach(() => {
    clock.offsetMs = 0;
  });

  /** A fresh access token in the (moved) test clock's time. */
  async function relogin(u: { username: string; password: string }): Promise<string> {
    return (await s.http.post('/api/auth/login', { username: u.username, password: u.password })).body.access_token;
  }

  async function spin(token: string, times: number) {
    const room = await joinAs(s.url, token, 'slot');
    const inbox = new Inbox(room);
    for (let i = 0; i < times; i++) {
      room.send('spin', { betPerLine: 1, ref: i });
      await inbox.next('spin_result', (m) => m.ref === i);
    }
    await room.leave();
  }

  it('runs the minimum success cycle: sign up → dashboard → participate → play → progress pushed → claim once → dashboard changes', async () => {
    const u = await signup(s.http);
    const dash1 = await s.http.get('/api/dashboard', { token: u.access });
    expect(dash1.status).to.equal(200);
    const etag1 = dash1.headers.get('etag')!;
    expect(etag1).to.match(/^"[\w-]+"$/);
    expect((await s.http.get('/api/dashboard', { token: u.access, headers: { 'if-none-match': etag1 } })).status).to.equal(304);

    const events = (await s.http.get('/api/events', { token: u.access })).body.events;
    const target = events.find((e: { code: string }) => e.code === 't_spin_5');
    expect(target).to.include({ joined: false, progress: 0 });
    const joined = await s.http.post(`/api/events/${target.id}/participate`, undefined, { token: u.access });
    expect(joined.body).to.include({ status: 'active', progress: 0 });

    const hub = await joinAs(s.url, u.access, 'hub');
    const hubInbox = new Inbox(hub);
    try {
      await spin(u.access, 10);
      const progress = await hubInbox.next('event_progress', (m) => m.kind === 'event' && m.code === 't_spin_5');
      // 10 paid spins, plus any free spins they triggered (each free spin is a round)
      const [session] = await em().execute<{ rounds: number }[]>(`select rounds from game_sessions where user_id = ? and game = 'slot'`, [
        u.userId,
      ]);
      expect(session.rounds).to.be.at.least(10);
      expect(progress).to.include({ progress: session.rounds, target: 5, status: 'claimable', progress_version: 1, can_claim: true });
      const missionPush = await hubInbox.next('event_progress', (m) => m.kind === 'mission' && m.code === 'd_slot_10');
      expect(missionPush.status).to.equal('claimable');

      const before = (await s.http.get('/api/wallet', { token: u.access })).body.balances;
      const claims = await Promise.all(
        Array.from({ length: 50 }, () => s.http.post(`/api/events/${target.id}/claim`, undefined, { token: u.access })),
      );
      expect(claims.every((c) => c.status === 200)).to.equal(true);
      expect(claims.filter((c) => c.body.applied)).to.have.length(1);
      expect(new Set(claims.map((c) => JSON.stringify({ ...c.body, applied: undefined, progress_version: undefined }))).size).to.equal(1);
      const paid = claims.find((c) => c.body.applied)!.body;
      expect(paid.reward_items).to.deep.equal({ gold: 70, gem: 2 });
      expect(paid.new_balances).to.deep.equal({ GOLD: before.GOLD + 70, GEM: before.GEM + 2 });
      await hubInbox.next('reward_granted');

      const again = await s.http.post(`/api/events/${target.id}/claim`, undefined, { token: u.access });
      expect(again.body).to.include({ applied: false });
      expect(again.body.new_balances).to.deep.equal(paid.new_balances);
      const rows = await em().execute(`select count(*)::int as n from ledger_entries where user_id = ? and reason = 'reward'`, [u.userId]);
      expect(rows[0].n).to.equal(2); // GOLD and GEM of one grant

      const dash2 = await s.http.get('/api/dashboard', { token: u.access, headers: { 'if-none-match': etag1 } });
      expect(dash2.status).to.equal(200);
      expect(dash2.headers.get('etag')).to.not.equal(etag1);
      expect(dash2.body.balances).to.deep.equal(paid.new_balances);
      expect(dash2.body.pending_rewards).to.be.at.least(1); // the daily mission is still claimable
      expect(dash2.body.recent_sessions[0]).to.include({ game: 'slot', rounds: session.rounds });
    } finally {
      await hub.leave();
    }
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('counts a replayed session end once', async () => {
    const u = await signup(s.http);
    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'manual');
    await em().execute('update game_sessions set rounds = 4 where id = ?', [sessionId]);
    const [first, second] = await Promise.all([
      s.services.games.closeSession(sessionId),
      s.services.games.closeSession(sessionId, 'recovered'),
    ]);
    expect([first, second].filter((x) => x !== null)).to.have.length(1);
    const missions = (await s.http.get('/api/missions', { token: u.access })).body.missions;
    expect(missions.find((m: { code: string }) => m.code === 'd_slot_10')).to.include({ progress: 4, progress_version: 1 });
  });

  it('starts a daily mission afresh the next UTC day (a new period is a new row)', async () => {
    const u = await signup(s.http);
    await spin(u.access, 3);
    const today = (await s.http.get('/api/missions', { token: u.access })).body.missions.find(
      (m: { code: string }) => m.code === 'd_slot_10',
    );
    const [played] = await em().execute<{ rounds: number }[]>(`select rounds from game_sessions where user_id = ?`, [u.userId]);
    expect(today.progress).to.equal(played.rounds).and.to.be.at.least(3); // free spins count as rounds
    clock.offsetMs = 24 * 3600 * 1000;
    const token = await relogin(u);
    const tomorrow = (await s.http.get('/api/missions', { token })).body.missions.find((m: { code: string }) => m.code === 'd_slot_10');
    expect(tomorrow.progress).to.equal(0);
    expect(tomorrow.period_key).to.not.equal(today.period_key);
    const weekly = (await s.http.get('/api/missions', { token })).body.missions.find((m: { code: string }) => m.code === 'w_wager_3000');
    expect(weekly.period_key).to.match(/^W\d{4}-\d{2}$/);
  });

  it('refuses claims that are not complete, and claims after the event ended', async () => {
    const u = await signup(s.http);
    const ev = (await s.http.get('/api/events', { token: u.access })).body.events.find((e: { code: string }) => e.code === 't_spin_5');
    const notJoined = await s.http.post(`/api/events/${ev.id}/claim`, undefined, { token: u.access });
    expect(notJoined.status).to.equal(409);
    expect(notJoined.body.error).to.equal('event/not_claimable');
    await s.http.post(`/api/events/${ev.id}/participate`, undefined, { token: u.access });
    await spin(u.access, 5);
    await eventually(
      async () =>
        (await s.http.get('/api/events', { token: u.access })).body.events.find((e: { code: string }) => e.code === 't_spin_5').status,
      (st) => st === 'claimable',
    );
    clock.offsetMs = 2 * 24 * 3600 * 1000; // past the event's end
    const late = await s.http.post(`/api/events/${ev.id}/claim`, undefined, { token: await relogin(u) });
    expect(late.status).to.equal(409);
    expect(late.body).to.include({ error: 'event/not_claimable', reason: 'expired' });
    const [row] = await em().execute(`select status from event_participations where user_id = ?`, [u.userId]);
    expect(row.status).to.equal('claimable');
    expect((await s.services.wallet.balances(em(), u.userId)).GEM).to.equal(0);
  });

  it('ticks the streak once per day of play and pays its reward once per day', async () => {
    const u = await signup(s.http);
    expect((await s.http.post('/api/streak/claim', undefined, { token: u.access })).body.error).to.equal('streak/not_claimable');
    await spin(u.access, 1);
    await spin(u.access, 1);
    const st = (await s.http.get('/api/streak', { token: u.access })).body;
    expect(st).to.include({ current: 1, played_today: true, claimable: true });
    const [a, b] = await Promise.all([
      s.http.post('/api/streak/claim', undefined, { token: u.access }),
      s.http.post('/api/streak/claim', undefined, { token: u.access }),
    ]);
    expect([a.body.applied, b.body.applied].filter(Boolean)).to.have.length(1);
    const history = (await s.http.get('/api/rewards/history', { token: u.access })).body.rewards;
    expect(history.filter((r: { source: string }) => r.source === 'streak')).to.have.length(1);
  });

  it('serves profile, stats and recent sessions', async () => {
    const u = await signup(s.http);
    await spin(u.access, 2);
    const profile = (await s.http.get('/api/profile', { token: u.access })).body;
    expect(profile).to.include({ username: u.username, level: 1 });
    const [played] = await em().execute<{ rounds: number }[]>(`select rounds from game_sessions where user_id = ?`, [u.userId]);
    expect(profile.stats[0]).to.include({ game: 'slot', sessions: 1, rounds: played.rounds });
    // money columns are bigint: they reach the client as JSON numbers, so it can compare and add them
    expect(profile.stats[0].wagered).to.be.a('number').and.be.greaterThan(0);
    expect((await s.http.get('/api/games/stats/me', { token: u.access })).body.stats).to.have.length(1);
    const [recent] = (await s.http.get('/api/games/sessions/recent', { token: u.access })).body.sessions;
    expect(recent).to.include({ game: 'slot', status: 'closed' });
    expect(recent.wagered).to.be.a('number').and.equal(profile.stats[0].wagered);
  });
  it('reads the dashboard in one statement with the same values as each read alone', async () => {
    await seedProducts(em(), DEMO_CATALOG);
    const u = await signup(s.http);
    // something in every part: a closed session (stats, missions, streak), a joined event, a purchase, and timestamps
    // with microseconds (a JSON timestamp and the driver's text differ in form, and ms may be cut or rounded)
    const ev = (await s.http.get('/api/events', { token: u.access })).body.events[0];
    await s.http.post(`/api/events/${ev.id}/participate`, undefined, { token: u.access });
    await spin(u.access, 3);
    const bought = await s.http.post(
      '/api/shop/purchase',
      { sku: 'xp_booster', quantity: 1 },
      { token: u.access, headers: { 'idempotency-key': `dash-${u.userId}` } },
    );
    expect(bought.status).to.equal(200);
    await em().execute(`update users set created_at = '2026-01-02 03:04:05.678951+00' where id = ?`, [u.userId]);
    await em().execute(`update products set sale_starts_at = '2026-01-01 00:00:00.123456+00' where sku = 'lucky_charm'`);
    try {
      const { auth, streak, liveops, shop, profile } = s.services;
      const parts = [
        ...auth.meRead(u.userId),
        gameStatsRead(u.userId),
        streak.viewRead(u.userId),
        await liveops.eventsRead(em(), u.userId),
        await liveops.missionsRead(em(), u.userId),
        recentSessionsRead(u.userId, 5),
        ...shop.catalogRead(em(), u.userId),
      ] as const;
      const together = await readTogether(em(), parts);
      const alone = await Promise.all(parts.map((p) => runRead(em(), p as ReadPart<unknown>)));
      expect(together).to.deep.equal(alone);
      const [user, balances, stats, , events, missions, sessions, products, counts] = together;
      expect(balances.GOLD).to.be.greaterThan(0);
      // none of them is empty, so the comparison compared something
      expect(stats).to.have.length(1);
      expect(sessions[0]).to.include({ game: 'slot', status: 'closed' });
      expect(sessions[0].startedAt).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$/); // PostgreSQL's text form
      expect(events.find((e) => e.id === ev.id)).to.include({ joined: true });
      expect(missions.some((m) => m.progress > 0)).to.equal(true);
      expect(products.find((p) => p.sku === 'lucky_charm')?.saleStartsAt).to.equal('2026-01-01 00:00:00.123456+00');
      expect([...counts.values()]).to.deep.equal([1]);
      // the user as the entity shows them
      const entity = await em().findOneOrFail(User, { id: u.userId });
      expect(user).to.deep.equal(toPublicUser(entity));
      expect(user?.createdAt).to.equal('2026-01-02T03:04:05.678Z');
      // and the dashboard is its parts, as each service reads them alone
      await profile.invalidate(u.userId);
      const { dashboard } = await profile.dashboard(u.userId);
      expect(dashboard.profile).to.deep.equal(await profile.profile(u.userId));
      expect(dashboard.events).to.deep.equal(await liveops.events(u.userId));
      expect(dashboard.missions).to.deep.equal(await liveops.missions(u.userId));
      expect(dashboard.recentSessions).to.deep.equal(await profile.recentSessions(u.userId, 5));
      expect(dashboard.shopHighlights).to.deep.equal((await shop.catalog(u.userId)).filter((p) => p.canBuy).slice(0, 3));
    } finally {
      await em().execute(`update products set sale_starts_at = null where sku = 'lucky_charm'`);
    }
  });
  it('never serves a dashboard read that straddled a commit and its invalidation', async () => {
    const u = await signup(s.http);
    // a second reader on the same cache, held at a gate once it has read the profile (with the balances)
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let held!: () => void;
    const reading = new Promise<void>((resolve) => {
      held = resolve;
    });
    class SlowReader extends ProfileService {
      protected override async read(userId: string) {
        const dashboard = await super.read(userId);
        held();
        await gate;
        return dashboard;
      }
    }
    const slow = new SlowReader(s.orm, s.redis, s.config.REDIS_PREFIX, s.services);
    const before = (await s.http.get('/api/wallet', { token: u.access })).body.balances.GOLD as number;

    const straddling = slow.dashboard(u.userId);
    await reading;
    await s.services.wallet.apply([credit({ userId: u.userId, currency: 'GOLD', amount: 77, reason: 'admin_adjust', actor: 'test' })]);
    await s.services.profile.invalidate(u.userId);
    open();
    expect((await straddling).dashboard.balances.GOLD).to.equal(before); // it read the old rows…
    // …and stored them after the invalidation, yet the next read sees the commit
    const after = await s.http.get('/api/dashboard', { token: u.access });
    expect(after.body.balances.GOLD).to.equal(before + 77);
  });
  it("shows an operator's change to the missions within the definitions' cache time", async () => {
    const u = await signup(s.http);
    const codes = async () =>
      ((await s.http.get('/api/missions', { token: u.access })).body.missions as Array<{ code: string }>).map((m) => m.code);
    expect(await codes()).to.include('d_play_2');
    await em().execute(`update missions set active = false where code = 'd_play_2'`);
    try {
      const after = await eventually(codes, (c) => !c.includes('d_play_2'), 5_000);
      expect(after).to.not.include('d_play_2');
    } finally {
      await em().execute(`update missions set active = true where code = 'd_play_2'`);
    }
    await eventually(codes, (c) => c.includes('d_play_2'), 5_000);
  });

  it('runs a mission only inside its schedule: hidden and not progressed before its start or after its end', async () => {
    const u = await signup(s.http);
    const insert = (code: string, startsAt: Date | null, endsAt: Date | null) =>
      em().execute(
        `insert into missions (id, code, name, period, condition, reward, starts_at, ends_at, active, rank, created_at)
         values (gen_random_uuid(), ?, 'Scheduled', 'daily', '{"metric":"rounds","target":2}', '{"gold":5}', ?, ?, true, 50, now())`,
        [code, startsAt, endsAt],
      );
    const hour = 3_600_000;
    await insert('t_sched_past', new Date(Date.now() - 3 * hour), new Date(Date.now() - hour));
    await insert('t_sched_future', new Date(Date.now() + hour), null);
    await insert('t_sched_now', new Date(Date.now() - hour), new Date(Date.now() + hour));
    const codes = async () =>
      ((await s.http.get('/api/missions', { token: u.access })).body.missions as Array<{ code: string }>).map((m) => m.code);
    const shown = await eventually(codes, (c) => c.includes('t_sched_now'), 5_000);
    expect(shown).to.not.include('t_sched_past');
    expect(shown).to.not.include('t_sched_future');

    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'manual');
    await em().execute('update game_sessions set rounds = 3 where id = ?', [sessionId]);
    await s.services.games.closeSession(sessionId);
    const rows = await em().execute<{ code: string; status: string }[]>(
      `select m.code, um.status from user_missions um join missions m on m.id = um.mission_id
        where um.user_id = ? and m.code like 't_sched_%'`,
      [u.userId],
    );
    expect(rows).to.deep.equal([{ code: 't_sched_now', status: 'claimable' }]);

    // its end comes before the claim: the unclaimed reward expired with it
    await em().execute(`update missions set ends_at = now() - interval '1 second' where code = 't_sched_now'`);
    const [mission] = await em().execute<{ id: string }[]>(`select id from missions where code = 't_sched_now'`);
    const late = await s.http.post(`/api/missions/${mission.id}/claim`, undefined, { token: u.access });
    expect(late.status).to.equal(409);
    expect(late.body).to.include({ error: 'event/not_claimable', reason: 'expired' });
  });
});
