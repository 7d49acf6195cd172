import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseSegmentRule } from '../../domain/admin/segments.ts';
import { debit } from '../../domain/economy/currency.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startSeededServer, type TestServer } from '../helpers/test-server.ts';

/** "level ≥ 5 and no purchase in the last 7 days" */
const RULE = {
  all: [
    { fact: 'level', min: 5 },
    { fact: 'purchases', window: { days: 7 }, max: 0 },
  ],
};

/** Operations end to end: draft → preview → shadow → apply → undo, on a segment and on lists, through the admin API. */
describe('admin operations', function () {
  this.timeout(120_000);
  let s: TestServer;
  let admin: TestOperator;
  let viewer: TestOperator;
  let support: TestOperator;
  const players: Array<{ userId: string; username: string }> = [];
  let segmentId: string;
  const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) =>
    (s.orm.em.fork() as EntityManager).execute<T[]>(q, params);
  const post = (path: string, body: unknown, o: { as?: TestOperator; key?: string } = {}) =>
    s.http.post(path, body, { token: (o.as ?? admin).access, headers: writeHeaders(o.key) });
  const get = (path: string, as: TestOperator = admin) => s.http.get(path, { token: as.access });
  const gold = async (ids: string[]) =>
    new Map(
      (
        await sql<{ user_id: string; balance: string }>(
          `select user_id, balance from wallets where currency = 'GOLD' and user_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
          [JSON.stringify(ids)],
        )
      ).map((r) => [r.user_id, Number(r.balance)]),
    );
  const ledgerCount = async () => Number((await sql<{ n: string }>('select count(*) as n from ledger_entries'))[0].n);

  /** Polls the operation until it reaches `status` (a job runs in the background). */
  async function settled(id: string, status: string) {
    for (let i = 0; i < 200; i++) {
      const res = await get(`/api/admin/operations/${id}`);
      if (res.body.status === status) return res.body;
      expect(res.body.status, JSON.stringify(res.body)).not.to.be.oneOf(['failed', 'canceled']);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`operation ${id} never became ${status}`);
  }

  async function draft(body: Record<string, unknown>) {
    const res = await post('/api/admin/operations', body);
    expect(res.status, res.text).to.equal(201);
    return res.body as { id: string; status: string; duplicates: number };
  }

  async function shadowed(id: string) {
    const res = await post(`/api/admin/operations/${id}/shadow`, {});
    expect(res.status, res.text).to.equal(202);
    return settled(id, 'shadowed');
  }

  async function applied(id: string, count: number) {
    const res = await post(`/api/admin/operations/${id}/apply`, { confirm_count: count });
    expect(res.status, res.text).to.equal(202);
    return settled(id, 'applied');
  }

  const items = (jobId: string) =>
    sql<{ user_id: string; status: string; error: string | null; result: Record<string, unknown> | null }>(
      'select user_id, status, error, result from admin_job_items where job_id = ? order by seq',
      [jobId],
    );

  before(async () => {
    s = await startSeededServer('admin_ops');
    [admin, viewer, support] = [await createOperator(s, 'admin'), await createOperator(s, 'viewer'), await createOperator(s, 'support')];
    for (let i = 0; i < 12; i++) players.push(await signup(s.http));
    // ten at level 6, two at level 1; one of the ten bought something yesterday
    await sql(`update users set level = 6 where id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`, [
      JSON.stringify(players.slice(0, 10).map((p) => p.userId)),
    ]);
    await sql(
      `insert into purchases (id, user_id, product_id, sku, quantity, unit_price, total_price, price_currency, status, created_at)
       values (?, ?, ?, 'ops', 1, 10, 10, 'GOLD', 'succeeded', now() - interval '1 day')`,
      [randomUUID(), players[9].userId, randomUUID()],
    );
    const em = s.orm.em.fork() as EntityManager;
    const seg = await s.services.segments.create(
      em,
      { id: admin.id, username: admin.username, role: 'admin' },
      {
        name: 'lapsed high levels',
        description: '',
        rule: parseSegmentRule(RULE),
      },
    );
    segmentId = seg.id;
  });
  after(async () => {
    await s?.stop();
  });

  it('grants 50 GOLD to a segment: preview, shadow (writes nothing), stale plan, re-shadow, apply once, undo', async () => {
    const op = await draft({
      kind: 'grant_currency',
      params: { currency: 'GOLD', amount: 50 },
      target: { type: 'segment', segment_id: segmentId },
    });
    expect(op.status).to.equal('draft');
    const members = players.slice(0, 9).map((p) => p.userId);

    const preview = await post(`/api/admin/operations/${op.id}/preview`, {});
    expect(preview.status, preview.text).to.equal(200);
    expect(preview.body.players).to.equal(9);
    expect(preview.body.totals).to.deep.equal({ GOLD: 450 });
    expect(preview.body.sample).to.have.length(9);
    for (const row of preview.body.sample) {
      expect(members).to.include(row.user_id);
      expect(row.after).to.equal(row.before + 50);
    }

    const balances0 = await gold(players.map((p) => p.userId));
    const entries0 = await ledgerCount();
    const shadow = await shadowed(op.id);
    expect(shadow.plan.count).to.equal(9);
    expect(shadow.totals.shadow).to.include({ players: 9, succeeded: 9 });
    expect(await gold(players.map((p) => p.userId))).to.deep.equal(balances0);
    expect(await ledgerCount()).to.equal(entries0);

    const mismatch = await post(`/api/admin/operations/${op.id}/apply`, { confirm_count: 8 });
    expect(mismatch.status, mismatch.text).to.equal(422);
    expect(mismatch.body.error).to.equal('operation/confirmation_mismatch');

    // a player joins the segment after the shadow: the plan is stale until it is shadowed again
    await sql(`update users set level = 5 where id = ?`, [players[10].userId]);
    const stale = await post(`/api/admin/operations/${op.id}/apply`, { confirm_count: 9 });
    expect(stale.status, stale.text).to.equal(409);
    expect(stale.body).to.include({ error: 'operation/stale_plan', planned: 9, now: 10 });
    expect((await shadowed(op.id)).plan.count).to.equal(10);

    const key = randomUUID();
    const apply = await post(`/api/admin/operations/${op.id}/apply`, { confirm_count: 10 }, { key });
    expect(apply.status, apply.text).to.equal(202);
    const done = await settled(op.id, 'applied');
    expect(done.totals.apply).to.include({ players: 10, succeeded: 10, amount: 500 });
    const target = [...members, players[10].userId];
    const balances1 = await gold(players.map((p) => p.userId));
    for (const p of players)
      expect(balances1.get(p.userId), p.username).to.equal(balances0.get(p.userId)! + (target.includes(p.userId) ? 50 : 0));
    const entries = await sql<{ user_id: string; delta: string; idempotency_key: string; ref_type: string }>(
      `select user_id, delta, idempotency_key, ref_type from ledger_entries where reason = 'admin_operation'`,
    );
    expect(entries.map((e) => e.user_id).sort()).to.deep.equal([...target].sort());
    for (const e of entries) {
      expect(e).to.include({ delta: '50', ref_type: 'operation', idempotency_key: `op:${op.id}:${e.user_id}:GOLD` });
    }

    // the same request again is replayed; a new one is refused (the operation is applied)
    const replay = await post(`/api/admin/operations/${op.id}/apply`, { confirm_count: 10 }, { key });
    expect(replay.status).to.equal(202);
    expect(replay.headers.get('idempotency-status')).to.equal('replayed');
    expect(replay.body.job_id).to.equal(apply.body.job_id);
    const again = await post(`/api/admin/operations/${op.id}/apply`, { confirm_count: 10 });
    expect(again.status, again.text).to.equal(409);
    expect(again.body.error).to.equal('operation/invalid_status');
    expect(await ledgerCount()).to.equal(entries0 + 10);

    const audit = await sql<{ after: { job_id: string } }>(
      `select after from audit_log where action = 'operation.apply' and result = 'ok'`,
    );
    expect(audit.map((a) => a.after.job_id)).to.deep.equal([apply.body.job_id]);

    // a lookup explains the entry: its source is the operation
    const lookup = await get(`/api/admin/transactions?player=${target[0]}`);
    const entry = lookup.body.items.find((i: { reason: string }) => i.reason === 'admin_operation');
    expect(entry.pairing_status).to.equal('paired');
    expect(entry.pair).to.include({ type: 'operation', id: op.id, expected_delta: 50 });

    // one player spends most of the grant: the undo reports them and leaves them at what they have
    const spender = target[0];
    const spent = balances1.get(spender)! - 10;
    await s.services.wallet.apply([debit({ userId: spender, currency: 'GOLD', amount: spent, reason: 'bet' })]);
    const undo = await post(`/api/admin/operations/${op.id}/undo`, {});
    expect(undo.status, undo.text).to.equal(202);
    const undone = await settled(op.id, 'undone');
    expect(undone.totals.undo).to.include({ players: 10, succeeded: 9, skipped: 1 });
    const undoItems = await items(undo.body.job_id);
    expect(undoItems.filter((i) => i.status === 'skipped')).to.deep.include.members([
      { user_id: spender, status: 'skipped', error: 'insufficient_balance', result: undoItems.find((i) => i.user_id === spender)!.result },
    ]);
    const balances2 = await gold(players.map((p) => p.userId));
    for (const p of players.filter((x) => x.userId !== spender))
      expect(balances2.get(p.userId), p.username).to.equal(balances0.get(p.userId));
    expect(balances2.get(spender)).to.equal(10);

    expect((await findDrift(s.orm.em.fork() as EntityManager)).drift).to.deep.equal([]);
    const recon = await get('/api/admin/reconciliation?limit=50');
    // (the test's own spend is a bet without a round: unpaired, and not the operation's)
    expect(recon.body.unpaired_entries.filter((e: { reason: string }) => e.reason === 'admin_operation')).to.deep.equal([]);
    expect(recon.body.missing_ledger.filter((m: { source: { type: string } }) => m.source.type === 'operation')).to.deep.equal([]);
  });

  it('deducts from a list: a balance that does not fit is a failed item with the reason, never negative', async () => {
    const [rich, poor] = [players[11], players[10]];
    await s.services.wallet.apply([
      debit({ userId: poor.userId, currency: 'GOLD', amount: (await gold([poor.userId])).get(poor.userId)!, reason: 'bet' }),
    ]);
    const before = await gold([rich.userId, poor.userId]);
    const op = await draft({
      kind: 'deduct_currency',
      params: { currency: 'GOLD', amount: 100 },
      target: { type: 'list', players: [{ username: rich.username }, { user_id: poor.userId }, { username: rich.username.toUpperCase() }] },
    });
    expect(op.duplicates).to.equal(1);
    const shadow = await shadowed(op.id);
    expect(shadow.totals.shadow).to.include({ players: 2, succeeded: 1, skipped: 1 });
    const done = await applied(op.id, 2);
    expect(done.totals.apply).to.include({ succeeded: 1, failed: 1, amount: -100 });
    const failed = (await items(done.apply_job_id)).find((i) => i.user_id === poor.userId)!;
    expect(failed).to.include({ status: 'failed', error: 'insufficient_balance' });
    const after = await gold([rich.userId, poor.userId]);
    expect(after.get(rich.userId)).to.equal(before.get(rich.userId)! - 100);
    expect(after.get(poor.userId)).to.equal(0);
    expect((await findDrift(s.orm.em.fork() as EntityManager)).drift).to.deep.equal([]);
  });

  it('adds a tag and takes it back on undo; sets a status through the ban path and restores it', async () => {
    const three = players.slice(0, 3);
    const tag = await draft({
      kind: 'tag_add',
      params: { tag: 'vip-2026' },
      target: { type: 'list', players: three.map((p) => ({ username: p.username })) },
    });
    await shadowed(tag.id);
    await applied(tag.id, 3);
    const tagged = await sql<{ user_id: string }>(`select user_id from player_tags where tag = 'vip-2026'`);
    expect(tagged.map((t) => t.user_id).sort()).to.deep.equal(three.map((p) => p.userId).sort());
    expect((await post(`/api/admin/operations/${tag.id}/undo`, {})).status).to.equal(202);
    await settled(tag.id, 'undone');
    expect(await sql(`select user_id from player_tags where tag = 'vip-2026'`)).to.deep.equal([]);

    const target = players[1];
    const ban = await draft({
      kind: 'set_status',
      params: { status: 'banned', reason: 'bulk test' },
      target: { type: 'list', players: [{ user_id: target.userId }] },
    });
    await shadowed(ban.id);
    await applied(ban.id, 1);
    expect((await sql<{ status: string }>(`select status from users where id = ?`, [target.userId]))[0].status).to.equal('banned');
    const sessions = await sql(`select 1 from auth_sessions where user_id = ? and revoked_at is null`, [target.userId]);
    expect(sessions, 'the ban path ends the sessions').to.deep.equal([]);
    expect((await post(`/api/admin/operations/${ban.id}/undo`, {})).status).to.equal(202);
    await settled(ban.id, 'undone');
    expect((await sql<{ status: string }>(`select status from users where id = ?`, [target.userId]))[0].status).to.equal('active');
  });

  it('delivers a notification to each listed player’s inbox once, and grants an item', async () => {
    const two = players.slice(2, 4);
    const list = { type: 'list', players: two.map((p) => ({ user_id: p.userId })) };
    const note = await draft({ kind: 'notify', params: { title: 'Bonus', body: 'Thanks for playing', deep_link: 'shop' }, target: list });
    await shadowed(note.id);
    const done = await applied(note.id, 2);
    expect(done.totals.apply).to.include({ succeeded: 2 });
    const inbox = await sql<{ user_id: string; title: string }>(`select user_id, title from inbox_messages where dedupe_key = ?`, [
      `op:${note.id}`,
    ]);
    expect(inbox.map((m) => m.user_id).sort()).to.deep.equal(two.map((p) => p.userId).sort());

    const item = await draft({ kind: 'grant_item', params: { item_id: 'starter-badge', quantity: 2 }, target: list });
    await shadowed(item.id);
    await applied(item.id, 2);
    const held = await sql<{ quantity: number }>(`select quantity from inventory_items where item_id = 'starter-badge' and user_id = ?`, [
      two[0].userId,
    ]);
    expect(held.map((h) => Number(h.quantity))).to.deep.equal([2]);
    // each player's item grant holds its grant key, so a replayed item cannot grant it twice
    const grantKeys = async () =>
      (await sql<{ grant_key: string }>(`select grant_key from reward_grants where source_id = ? order by grant_key`, [item.id])).map(
        (g) => g.grant_key,
      );
    expect(await grantKeys()).to.deep.equal(two.map((p) => `op:${item.id}:${p.userId}:item`).sort());
    expect((await post(`/api/admin/operations/${item.id}/undo`, {})).status).to.equal(202);
    await settled(item.id, 'undone');
    const after = await sql<{ quantity: number }>(`select quantity from inventory_items where item_id = 'starter-badge' and user_id = ?`, [
      two[0].userId,
    ]);
    expect(after.map((h) => Number(h.quantity))).to.deep.equal([0]);
    expect((await grantKeys()).filter((k) => k.startsWith('op-undo:'))).to.have.length(2);
  });

  it('refuses bad parameters per kind, an unknown player, and undoing a notification', async () => {
    const list = { type: 'list', players: [{ user_id: players[0].userId }] };
    const refused = [
      { kind: 'grant_currency', params: { currency: 'GOLD', amount: 0 }, target: list },
      { kind: 'grant_currency', params: { currency: 'USD', amount: 5 }, target: list },
      { kind: 'grant_currency', params: { currency: 'GOLD', amount: 10 ** 12 }, target: list },
      { kind: 'grant_item', params: { item_id: 'no-such-item' }, target: list },
      { kind: 'tag_add', params: { tag: 'Bad Tag!' }, target: list },
      { kind: 'set_status', params: { status: 'deleted' }, target: list },
      { kind: 'tag_add', params: { tag: 'ok' }, target: { type: 'list', players: [{ user_id: randomUUID() }] } },
      { kind: 'tag_add', params: { tag: 'ok' }, target: { type: 'segment', segment_id: randomUUID() } },
    ];
    for (const body of refused) {
      const res = await post('/api/admin/operations', body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).to.be.oneOf([400, 404]);
    }
    const item = await draft({ kind: 'grant_item', params: { item_id: 'starter-badge', quantity: 1 }, target: list });
    expect(item.status).to.equal('draft');
    const note = await draft({ kind: 'notify', params: { title: 'Hello', body: 'A message' }, target: list });
    const undo = await post(`/api/admin/operations/${note.id}/undo`, {});
    expect(undo.status, undo.text).to.equal(409);
    expect(undo.body.error).to.equal('operation/not_undoable');
    const early = await post(`/api/admin/operations/${item.id}/apply`, { confirm_count: 1 });
    expect(early.body.error).to.equal('operation/invalid_status');
  });

  it('lets a viewer read but not write, and a support operator not shadow or apply', async () => {
    const list = await get('/api/admin/operations?limit=5', viewer);
    expect(list.status).to.equal(200);
    expect(list.body.items.length).to.be.greaterThan(0);
    const id = list.body.items[0].id;
    expect((await get(`/api/admin/operations/${id}`, viewer)).status).to.equal(200);
    expect((await post(`/api/admin/operations/${id}/preview`, {}, { as: viewer })).status).to.equal(200);
    for (const [as, path, body] of [
      [
        viewer,
        '/api/admin/operations',
        { kind: 'tag_add', params: { tag: 'x' }, target: { type: 'list', players: [{ user_id: players[0].userId }] } },
      ],
      [support, `/api/admin/operations/${id}/shadow`, {}],
      [support, `/api/admin/operations/${id}/apply`, { confirm_count: 1 }],
      [support, `/api/admin/operations/${id}/undo`, {}],
    ] as const) {
      const res = await post(path, body, { as });
      expect(res.status, `${as.role} ${path}`).to.equal(403);
      expect(res.body.error).to.equal('auth/forbidden');
    }
  });
});
