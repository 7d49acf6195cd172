import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

type Player = Awaited<ReturnType<typeof signup>>;

/** Notifications: schedule, cancel, dedupe, retry, counts; the player's inbox API; the live push to a connected hub. */
describe('notifications and the player inbox', function () {
  this.timeout(60_000);
  let s: TestServer;
  let operator: TestOperator;
  let viewer: TestOperator;
  const players: Player[] = [];
  const sql = <T>(q: string, params: unknown[] = []) => (s.orm.em.fork() as EntityManager).execute<T[]>(q, params);

  before(async () => {
    // two quick attempts and a short lock wait: a locked inbox fails a delivery within a second
    s = await startTestServer('notify', {
      NOTIFY_ATTEMPTS: 2,
      NOTIFY_RETRY_BASE_MS: 100,
      NOTIFY_LOCK_TIMEOUT_MS: 200,
      NOTIFY_CHUNK_SIZE: 2,
    });
    operator = await createOperator(s, 'operator');
    viewer = await createOperator(s, 'viewer');
    for (let i = 0; i < 3; i++) players.push(await signup(s.http));
  });
  after(async () => {
    await s?.stop();
  });

  const compose = (body: Record<string, unknown>, as: TestOperator = operator, key?: string) =>
    s.http.post(
      '/api/admin/notifications',
      { title: 'Hello', body: 'A message', ...body },
      { token: as.access, headers: writeHeaders(key) },
    );
  const toList = (...ps: Player[]) => ({ type: 'list', user_ids: ps.map((p) => p.userId) });
  const get = (id: string) => s.http.get(`/api/admin/notifications/${id}`, { token: viewer.access });
  const settled = (id: string, statuses = ['sent', 'failed']) =>
    eventually(
      () => get(id),
      (r) => statuses.includes(r.body.status),
      10_000,
    );
  const inboxOf = (p: Player, q = '') => s.http.get(`/api/inbox${q}`, { token: p.access });

  it('delivers a scheduled notification at its time, not before, into every targeted inbox', async () => {
    const at = new Date(Date.now() + 1500);
    const res = await compose({ target: toList(players[0], players[1]), scheduled_at: at.toISOString(), deep_link: 'slot' });
    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.include({ status: 'scheduled', deep_link: 'slot' });
    expect((await inboxOf(players[0])).body.items).to.have.length(0);
    const done = await settled(res.body.id);
    expect(done.body.status).to.equal('sent');
    expect(new Date(done.body.sent_at).getTime()).to.be.at.least(at.getTime() - 100);
    expect(done.body.counts).to.deep.equal({ targeted: 2, delivered: 2, read: 0 });
    const inbox = (await inboxOf(players[0])).body;
    expect(inbox.unread).to.equal(1);
    expect(inbox.items[0]).to.include({ title: 'Hello', body: 'A message', deep_link: 'slot', read_at: null });
    expect((await inboxOf(players[2])).body.items).to.have.length(0);
  });

  it('cancels a scheduled notification (never delivered); a cancel after sending is 409', async () => {
    const res = await compose({ target: toList(players[2]), scheduled_at: new Date(Date.now() + 1000).toISOString() });
    const cancel = await s.http.post(
      `/api/admin/notifications/${res.body.id}/cancel`,
      {},
      { token: operator.access, headers: writeHeaders() },
    );
    expect(cancel.status, cancel.text).to.equal(200);
    expect(cancel.body.status).to.equal('canceled');
    await new Promise((r) => setTimeout(r, 1800));
    expect((await get(res.body.id)).body).to.include({ status: 'canceled' });
    expect((await inboxOf(players[2])).body.items).to.have.length(0);

    const sent = await compose({ target: toList(players[2]), send_now: true });
    await settled(sent.body.id);
    const late = await s.http.post(
      `/api/admin/notifications/${sent.body.id}/cancel`,
      {},
      { token: operator.access, headers: writeHeaders() },
    );
    expect(late.status).to.equal(409);
    expect(late.body.error).to.equal('notification/not_cancelable');
  });

  it('never delivers the same dedupe key twice to a player, even across notifications', async () => {
    const first = await compose({ target: toList(players[0]), send_now: true, dedupe_key: 'welcome-2026' });
    expect((await settled(first.body.id)).body.counts).to.include({ targeted: 1, delivered: 1 });
    const second = await compose({ target: toList(players[0], players[1]), send_now: true, dedupe_key: 'welcome-2026' });
    expect((await settled(second.body.id)).body.counts).to.include({ targeted: 2, delivered: 1 });
    const rows = await sql<{ user_id: string }>(`select user_id from inbox_messages where dedupe_key = 'welcome-2026' order by user_id`);
    expect(rows.map((r) => r.user_id)).to.have.members([players[0].userId, players[1].userId]);
    expect(
      await s.services.inbox.deliver(s.orm.em.fork() as EntityManager, [players[0].userId], {
        notificationId: null,
        title: 't',
        body: 'b',
        deepLink: null,
        dedupeKey: 'welcome-2026',
      }),
    ).to.equal(0);
  });

  it('retries with backoff, fails after its attempts, and an operator retry delivers it once the cause is gone', async () => {
    const em = s.orm.em.fork() as EntityManager;
    let id = '';
    // an open transaction holding the inbox table: every delivery chunk times out waiting for its lock
    await em.transactional(async (tx) => {
      await tx.execute('lock table inbox_messages in share mode');
      const res = await compose({ target: toList(players[1]), send_now: true });
      id = res.body.id;
      const failed = await settled(id, ['failed']);
      expect(failed.body.status).to.equal('failed');
      expect(failed.body.attempts).to.equal(2);
      expect(failed.body.last_error).to.match(/lock/);
    });
    const retry = await s.http.post(`/api/admin/notifications/${id}/retry`, {}, { token: operator.access, headers: writeHeaders() });
    expect(retry.status, retry.text).to.equal(200);
    const done = await settled(id);
    expect(done.body).to.include({ status: 'sent', last_error: null });
    expect(done.body.counts).to.include({ targeted: 1, delivered: 1 });
    const again = await s.http.post(`/api/admin/notifications/${id}/retry`, {}, { token: operator.access, headers: writeHeaders() });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.equal('notification/not_retryable');
  });

  it('targets every player with `all`, counts reads, and lists by status', async () => {
    const res = await compose({ target: { type: 'all' }, send_now: true, title: 'To everyone' });
    const done = await settled(res.body.id);
    const [{ n }] = await sql<{ n: string }>(`select count(*) as n from users where role = 'player'`);
    expect(done.body.counts).to.deep.equal({ targeted: Number(n), delivered: Number(n), read: 0 });
    const message = (await inboxOf(players[2])).body.items.find((m: { title: string }) => m.title === 'To everyone');
    const read = await s.http.post(`/api/inbox/${message.id}/read`, undefined, { token: players[2].access });
    expect(read.status, read.text).to.equal(200);
    const again = await s.http.post(`/api/inbox/${message.id}/read`, undefined, { token: players[2].access });
    expect(again.body.message.read_at).to.equal(read.body.message.read_at);
    expect((await get(res.body.id)).body.counts.read).to.equal(1);
    const sent = await s.http.get('/api/admin/notifications?status=sent&limit=200', { token: viewer.access });
    expect(sent.body.items.map((i: { id: string }) => i.id)).to.include(res.body.id);
    expect(sent.body.items.every((i: { status: string }) => i.status === 'sent')).to.equal(true);
  });

  it("pages a player's inbox newest first with the unread count; another player's message is 404", async () => {
    const p = players[0];
    const all = (await inboxOf(p, '?limit=100')).body;
    expect(all.unread).to.equal(all.items.filter((m: { read_at: string | null }) => !m.read_at).length);
    const first = (await inboxOf(p, '?limit=1')).body;
    expect(first.items[0].id).to.equal(all.items[0].id);
    const second = (await inboxOf(p, `?limit=1&cursor=${first.next_cursor}`)).body;
    expect(second.items[0].id).to.equal(all.items[1].id);
    const theirs = await s.http.post(`/api/inbox/${all.items[0].id}/read`, undefined, { token: players[2].access });
    expect(theirs.status).to.equal(404);
    expect(theirs.body.error).to.equal('resource/not_found');
    const read = await s.http.post(`/api/inbox/${all.items[0].id}/read`, undefined, { token: p.access });
    expect(read.body.unread).to.equal(all.unread - 1);
  });

  it('validates the composition: schedule in the future within 90 days, a known deep link, now or scheduled', async () => {
    const bad = [
      { target: toList(players[0]), scheduled_at: new Date(Date.now() - 60_000).toISOString() },
      { target: toList(players[0]), scheduled_at: new Date(Date.now() + 91 * 86_400_000).toISOString() },
      { target: toList(players[0]), send_now: true, deep_link: 'casino' },
      { target: toList(players[0]) },
      { target: toList(players[0]), send_now: true, title: 'x'.repeat(81) },
    ];
    for (const body of bad) expect((await compose(body)).status, JSON.stringify(body)).to.equal(400);
    expect((await compose({ target: toList(players[0]), send_now: true }, viewer)).status).to.equal(403);
  });

  it('pushes a delivered notification to a connected hub client', async () => {
    const p = players[1];
    const room = await joinAs(s.url, p.access, 'hub');
    try {
      const messages = new Inbox(room);
      await messages.next('welcome');
      const res = await compose({ target: toList(p), send_now: true, title: 'Live!', deep_link: 'shop' });
      const push = await messages.next('notification', (m) => m.kind === 'inbox');
      expect(push).to.include({ kind: 'inbox', notification_id: res.body.id, title: 'Live!', deep_link: 'shop' });
    } finally {
      await room.leave();
    }
  });
});
