import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Cursors no list ever returned: wrong shape, wrong kinds, values a SQL cast would refuse. */
const FORGED = [
  'not-a-cursor',
  cursorOf(['x', 'y']),
  cursorOf([1]),
  cursorOf([1, 2]),
  cursorOf(['1', '2', '3']),
  cursorOf({ value: '1', id: '1' }),
  cursorOf(['99999999999999999999', randomUUID()]),
  cursorOf(['2026-13-45 25:61:00+00', randomUUID()]),
  cursorOf(['2026-02-30 00:00:00+00', randomUUID()]),
  cursorOf(['1', 'not-a-uuid']),
];

/** Every admin list (GET with `?cursor=`): walked to its end, and refused a forged cursor. */
describe('admin lists: keyset paging', function () {
  this.timeout(120_000);
  let s: TestServer;
  let admin: TestOperator;
  let playerId: string;
  let jobId: string;
  const sql = (q: string, params: unknown[] = []) => (s.orm.em.fork() as EntityManager).execute(q, params);
  const get = (path: string) => s.http.get(path, { token: admin.access });
  const lists = () => {
    const player = `/api/admin/players/${playerId}`;
    return [
      '/api/admin/players',
      '/api/admin/players?sort=level&order=asc',
      '/api/admin/players?sort=gold',
      ...['ledger', 'sessions', 'rounds', 'purchases', 'inventory', 'rewards', 'audit', 'notes'].map((l) => `${player}/${l}`),
      '/api/admin/audit',
      '/api/admin/approvals',
      '/api/admin/shop/products',
      '/api/admin/transactions',
      '/api/admin/jobs',
      `/api/admin/jobs/${jobId}/items`,
      '/api/admin/operations',
      '/api/admin/segments',
    ];
  };
  const withQuery = (path: string, q: string) => `${path}${path.includes('?') ? '&' : '?'}${q}`;

  before(async () => {
    s = await startTestServer('admin_paging');
    await seedProducts(s.orm.em.fork() as EntityManager, DEMO_CATALOG);
    admin = await createOperator(s, 'admin');
    const p = await signup(s.http);
    playerId = p.userId;
    for (let i = 0; i < 4; i++) await signup(s.http);
    for (let i = 0; i < 2; i++)
      expect((await s.http.post('/api/auth/login', { username: p.username, password: p.password })).status).to.equal(200);
    for (let i = 0; i < 4; i++) {
      await s.services.wallet.apply([credit({ userId: playerId, currency: 'GEM', amount: 5 + i, reason: 'admin_adjust' })]);
      // two rows per instant: the id breaks the tie
      const at = `now() - make_interval(secs => ${Math.floor(i / 2)})`;
      await sql(
        `insert into game_rounds (id, game, user_id, currency, bet, payout, multiplier, outcome, fairness, status, owner, created_at)
         values (?, 'slot', ?, 'GOLD', 10, 0, 0, '{}', '{}', 'settled', 'test', ${at})`,
        [randomUUID(), playerId],
      );
      await sql(
        `insert into purchases (id, user_id, product_id, sku, quantity, unit_price, total_price, price_currency, status, created_at)
         values (?, ?, ?, 'paging', 1, 10, 10, 'GOLD', 'succeeded', ${at})`,
        [randomUUID(), playerId, randomUUID()],
      );
      await sql(`insert into inventory_items (id, user_id, item_id, source, acquired_at) values (?, ?, ?, 'test', ${at})`, [
        randomUUID(),
        playerId,
        `paging_item_${i}`,
      ]);
      await sql(
        `insert into reward_grants (id, grant_key, user_id, source, bundle, result, created_at) values (?, ?, ?, 'test', '{}', '{}', ${at})`,
        [randomUUID(), `paging:${i}:${randomUUID()}`, playerId],
      );
      const note = await s.http.post(
        `/api/admin/players/${playerId}/notes`,
        { text: `note ${i}` },
        { token: admin.access, headers: writeHeaders() },
      );
      expect(note.status, note.text).to.equal(201);
      const adjustment = await s.http.post(
        `/api/admin/players/${playerId}/wallet/adjustments`,
        { currency: 'GEM', amount: 20_000 + i, reason: 'goodwill', note: 'waits for approval' },
        { token: admin.access, headers: writeHeaders() },
      );
      expect(adjustment.status, adjustment.text).to.be.oneOf([200, 201, 202]);
      const operation = await s.http.post(
        '/api/admin/operations',
        { kind: 'tag_add', params: { tag: `paging-${i}` }, target: { type: 'list', players: [{ user_id: playerId }] } },
        { token: admin.access, headers: writeHeaders() },
      );
      expect(operation.status, operation.text).to.equal(201);
      const segment = await s.http.post(
        '/api/admin/segments',
        { name: `paging ${i}`, rule: { fact: 'level', min: i + 1 } },
        { token: admin.access, headers: writeHeaders() },
      );
      expect(segment.status, segment.text).to.equal(201);
    }
    // jobs of a kind no worker runs: they stay PENDING with their items
    for (let i = 0; i < 3; i++) {
      jobId = await (s.orm.em.fork() as EntityManager).transactional((tx) =>
        s.services.jobs
          .create(tx as EntityManager, {
            kind: 'paging_sample',
            params: {},
            createdBy: { id: admin.id, username: admin.username },
            items: [1, 2, 3, 4].map((n) => ({ userId: null, payload: { n } })),
          })
          .then((j) => j.id),
      );
    }
  });
  after(async () => {
    await s?.stop();
  });

  async function walk(path: string, limit: number) {
    const pages: Array<{ items: Array<{ id: string | number }>; next_cursor: string | null }> = [];
    let cursor: string | null = null;
    do {
      const res = await get(withQuery(path, `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`));
      expect(res.status, `${path}: ${res.text}`).to.equal(200);
      expect(Object.keys(res.body).sort(), path).to.include.members(['items', 'next_cursor']);
      pages.push(res.body);
      cursor = res.body.next_cursor;
      expect(pages.length, `${path}: too many pages`).to.be.at.most(50);
    } while (cursor);
    return pages;
  }

  it('covers every admin list of the OpenAPI document (each GET taking a `cursor`)', async () => {
    const doc = (await s.http.get('/api/openapi.json')).body as {
      paths: Record<string, { get?: { parameters?: Array<{ name: string; in: string }> } }>;
    };
    const paged = Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/api/admin/') && ops.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([path]) => path)
      .sort();
    const covered = [...new Set(lists().map((l) => l.split('?')[0].replace(playerId, '{id}').replace(jobId, '{id}')))].sort();
    expect(covered).to.deep.equal(paged);
  });

  it('walks every list to its end: full pages, each row once, the last page non-empty with a null next_cursor', async () => {
    for (const path of lists()) {
      const all = await walk(path, 200);
      expect(all, path).to.have.length(1);
      const ids = all[0].items.map((r) => r.id);
      expect(ids.length, `${path}: seed at least 3 rows`).to.be.at.least(3);

      const pages = await walk(path, 2);
      for (const page of pages.slice(0, -1)) expect(page.items, path).to.have.length(2);
      expect(pages.at(-1)!.items.length, `${path}: an empty last page`).to.be.greaterThan(0);
      expect(pages.at(-1)!.next_cursor, path).to.equal(null);
      expect(
        pages.flatMap((p) => p.items.map((r) => r.id)),
        path,
      ).to.deep.equal(ids);

      // a page exactly full with nothing after it is the last one
      const exact = await walk(path, ids.length);
      expect(exact, `${path}: limit = every row`).to.have.length(1);
      expect(exact[0].next_cursor, path).to.equal(null);
    }
  });

  it('answers 400 request/invalid naming query.cursor for a forged cursor, on every list', async () => {
    for (const path of lists()) {
      for (const cursor of FORGED) {
        const res = await get(withQuery(path, `cursor=${cursor}`));
        expect(res.status, `${path} cursor=${Buffer.from(cursor, 'base64url').toString()}: ${res.text}`).to.equal(400);
        expect(res.body.error).to.equal('request/invalid');
        expect(res.body.issues.map((i: { path: string }) => i.path)).to.include('query.cursor');
      }
    }
  });

  it('lists approvals with the usernames of the player, the requester and the decider', async () => {
    const player = (await get(`/api/admin/players/${playerId}`)).body;
    const pending = (await get('/api/admin/approvals?status=pending')).body.items;
    expect(pending).to.have.length(4);
    for (const item of pending) {
      expect(item).to.include({ user_id: playerId, username: player.username, requested_by_name: admin.username, decided_by_name: null });
    }
    const second = await createOperator(s, 'admin');
    const approve = await s.http.post(
      `/api/admin/approvals/${pending[0].id}/approve`,
      {},
      { token: second.access, headers: writeHeaders() },
    );
    expect(approve.status, approve.text).to.equal(200);
    const [applied] = (await get('/api/admin/approvals?status=applied')).body.items;
    expect(applied).to.include({
      id: pending[0].id,
      username: player.username,
      requested_by_name: admin.username,
      decided_by_name: second.username,
    });
  });
});
