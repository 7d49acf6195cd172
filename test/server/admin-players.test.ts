import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, uniqueName, type TestServer } from '../helpers/test-server.ts';

const SORTS = ['created', 'last_seen', 'level', 'gold', 'gem', 'wagered_7d'] as const;
const FIELD = { created: 'created_at', last_seen: 'last_seen_at', level: 'level', gold: 'gold', gem: 'gem', wagered_7d: 'wagered_7d' };

/** The admin players grid and a player's page (GET routes). */
describe('admin players: grid and player page', () => {
  let s: TestServer;
  let viewer: TestOperator;
  const ids: string[] = [];
  const sql = (q: string, params: unknown[] = []) => (s.orm.em.fork() as EntityManager).execute(q, params);

  before(async () => {
    s = await startTestServer('admin_players');
    viewer = await createOperator(s, 'viewer');
    for (let i = 0; i < 23; i++) {
      const r = await s.services.auth.signup(uniqueName(i % 2 ? 'Alpha' : 'beta'), 'player password 1');
      ids.push(r.user.id);
    }
    // ties on purpose: levels and balances repeat, so the id must break them
    for (const [i, id] of ids.entries()) {
      await sql(`update users set level = ?, created_at = now() - make_interval(mins => ?) where id = ?`, [1 + (i % 4), i % 5, id]);
      if (i % 3) await s.services.wallet.apply([credit({ userId: id, currency: 'GEM', amount: 10 * (i % 3), reason: 'admin_adjust' })]);
    }
    await sql(
      `insert into game_sessions (id, user_id, game, room_id, owner, status, started_at, wagered)
               values (?, ?, 'slot', 'r1', 'test', 'closed', now() - interval '1 day', 700),
                      (?, ?, 'slot', 'r1', 'test', 'closed', now() - interval '8 days', 900)`,
      [randomUUID(), ids[0], randomUUID(), ids[1]],
    );
    await s.services.adminPlayers.refreshWagered7d();
  });
  after(async () => {
    await s?.stop();
  });

  const get = (path: string) => s.http.get(path, { token: viewer.access });

  async function walk(query: string, limit: number) {
    const rows: any[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/admin/players?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.items.length).to.be.at.most(limit);
      rows.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    return rows;
  }

  it('pages through every player exactly once, in order, for every sort and direction (ties broken by id)', async () => {
    for (const sort of SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const rows = await walk(`sort=${sort}&order=${order}`, 4);
        expect(rows.map((r) => r.id).sort(), `${sort} ${order}`).to.deep.equal([...ids].sort());
        const key = (r: any) => (typeof r[FIELD[sort]] === 'string' ? Date.parse(r[FIELD[sort]]) : r[FIELD[sort]]);
        for (let i = 1; i < rows.length; i++) {
          const [a, b] = [rows[i - 1], rows[i]];
          const cmp = key(a) - key(b) || (a.id < b.id ? -1 : 1);
          expect(order === 'asc' ? cmp < 0 : cmp > 0, `${sort} ${order} at ${i}`).to.equal(true);
        }
      }
    }
  });

  it('answers rows with integer money figures, and wagered_7d from the last 7 days only', async () => {
    const rows = await walk('sort=wagered_7d&order=desc', 50);
    expect(rows[0]).to.include({ id: ids[0], wagered_7d: 700 });
    expect(rows.find((r) => r.id === ids[1]).wagered_7d).to.equal(0);
    for (const r of rows) {
      expect(r).to.have.keys('id', 'username', 'status', 'level', 'created_at', 'last_seen_at', 'gold', 'gem', 'wagered_7d');
      expect(Number.isInteger(r.gold) && Number.isInteger(r.gem)).to.equal(true);
    }
  });

  it('filters by username prefix (any case) or exact id, status, level range and created range; lists players only', async () => {
    const alpha = await walk('q=ALPHA', 50);
    expect(alpha).to.have.length(11);
    expect(alpha.every((r) => r.username.startsWith('Alpha'))).to.equal(true);
    expect((await walk(`q=${ids[3]}`, 50)).map((r) => r.id)).to.deep.equal([ids[3]]);
    expect(await walk(`q=${viewer.username}`, 50)).to.deep.equal([]);
    expect(await walk(`q=${viewer.id}`, 50)).to.deep.equal([]);
    const levels = await walk('level_min=2&level_max=3', 50);
    expect(levels.length).to.be.greaterThan(0);
    expect(levels.every((r) => r.level >= 2 && r.level <= 3)).to.equal(true);
    await sql(`update users set status = 'suspended' where id = ?`, [ids[5]]);
    expect((await walk('status=suspended', 50)).map((r) => r.id)).to.deep.equal([ids[5]]);
    const from = new Date(Date.now() - 90_000).toISOString();
    const recent = await walk(`created_from=${from}&sort=created`, 50);
    expect(recent.every((r) => Date.parse(r.created_at) >= Date.parse(from))).to.equal(true);
    expect(recent.length).to.be.greaterThan(0).and.lessThan(ids.length);
    expect(await walk('q=a%25_', 50)).to.deep.equal([]);
  });

  it('answers 400 naming the field for a bad query, a forged cursor or an unknown key; 404 for an unknown player', async () => {
    for (const [q, field] of [
      ['sort=name', 'query.sort'],
      ['limit=0', 'query.limit'],
      ['created_from=yesterday', 'query.created_from'],
      ['cursor=abc', 'query.cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url')}`, 'query.cursor'],
      ['bogus=1', 'query'],
    ]) {
      const res = await get(`/api/admin/players?${q}`);
      expect(res.status, q).to.equal(400);
      expect(res.body.error).to.equal('request/invalid');
      expect(
        res.body.issues.map((i: { path: string }) => i.path),
        q,
      ).to.include(field);
    }
    expect((await get(`/api/admin/players/${randomUUID()}`)).status).to.equal(404);
    expect((await get(`/api/admin/players/${viewer.id}`)).status).to.equal(404);
    expect((await get(`/api/admin/players/${randomUUID()}/ledger`)).status).to.equal(404);
    expect((await get(`/api/admin/players/not-a-uuid`)).status).to.equal(400);
  });

  it("shows a player's profile, balances, counts and paged lists (ledger with reasons, sessions, rounds with fairness links)", async () => {
    const p = await signup(s.http);
    await s.services.wallet.apply([credit({ userId: p.userId, currency: 'GEM', amount: 5, reason: 'admin_adjust' })]);
    const detail = await get(`/api/admin/players/${p.userId}`);
    expect(detail.status, detail.text).to.equal(200);
    expect(detail.body).to.include({ id: p.userId, username: p.username, status: 'active' });
    expect(detail.body.balances.GEM).to.equal(5);
    expect(detail.body.counts.ledger_entries).to.be.at.least(2);
    expect(detail.body.counts.open_auth_sessions).to.equal(1);
    const ledger = await get(`/api/admin/players/${p.userId}/ledger?limit=1`);
    expect(ledger.body.items[0]).to.include({ reason: 'admin_adjust', amount: 5, balance_after: 5, currency: 'GEM' });
    expect(ledger.body.next_cursor).to.be.a('string');
    const older = await get(`/api/admin/players/${p.userId}/ledger?limit=1&cursor=${ledger.body.next_cursor}`);
    expect(older.body.items[0]).to.include({ reason: 'signup_bonus' });
    const sessions = await get(`/api/admin/players/${p.userId}/sessions`);
    expect(sessions.body.items).to.have.length(1);
    expect(sessions.body.items[0].revoked_at).to.equal(null);
    const roundId = randomUUID();
    await sql(
      `insert into game_rounds (id, game, user_id, currency, bet, payout, multiplier, outcome, fairness, status, owner, created_at)
       values (?, 'slot', ?, 'GOLD', 10, 20, 200, '{}', '{}', 'settled', 'test', now())`,
      [roundId, p.userId],
    );
    const rounds = await get(`/api/admin/players/${p.userId}/rounds`);
    expect(rounds.body.items[0]).to.include({ id: roundId, bet: 10, payout: 20, fairness_url: `/api/fairness/rounds/${roundId}` });
    for (const list of ['purchases', 'inventory', 'rewards']) {
      const res = await get(`/api/admin/players/${p.userId}/${list}`);
      expect(res.status, list).to.equal(200);
      expect(res.body).to.deep.equal({ items: [], next_cursor: null });
    }
  });

  it('keeps last_seen_at: a login moves it forward', async () => {
    const p = await signup(s.http);
    await sql(`update users set last_seen_at = now() - interval '3 days' where id = ?`, [p.userId]);
    const before = (await get(`/api/admin/players/${p.userId}`)).body.last_seen_at;
    expect((await s.http.post('/api/auth/login', { username: p.username, password: p.password })).status).to.equal(200);
    const after = (await get(`/api/admin/players/${p.userId}`)).body.last_seen_at;
    expect(Date.parse(after) - Date.parse(before)).to.be.greaterThan(2 * 86_400_000);
  });

  it('refuses a player token (403) and answers 401 without a token', async () => {
    const p = await signup(s.http);
    expect((await s.http.get('/api/admin/players', { token: p.access })).status).to.equal(403);
    expect((await s.http.get('/api/admin/players')).status).to.equal(401);
  });
});
