import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import { PLAY_BLOCKED_CLOSE_CODE } from '../../domain/realtime/kick.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { openStakes } from '../../server/services/games/escrow-batch.ts';
import { createOperator } from '../helpers/admin.ts';
import { rotateToLosingSpin } from '../helpers/slot-seeds.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';

describe('responsible play: limits enforced in the rooms', function () {
  this.timeout(90_000);
  let s: TestServer;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  const em = () => s.orm.em.fork() as EntityManager;
  const gold = async (userId: string) => (await s.services.wallet.balances(em(), userId)).GOLD;
  const setLimits = (token: string, limits: unknown[]) => s.http.request('PUT', '/api/limits', { token, body: { limits } });
  /** starts a cool-off or self-exclusion, confirmed */
  const startBlock = (token: string, kind: string, duration: string) =>
    s.http.post('/api/limits/block', { kind, duration, confirm: 'I understand' }, { token });
  const limitOf = (view: any, kind: string, currency: string, period: string) =>
    view.limits.find((l: any) => l.kind === kind && l.currency === currency && l.period === period);

  before(async () => {
    s = await startTestServer(
      'limits',
      { RPS_HOUSE_AFTER_MS: 300, RPS_PICK_TIMEOUT_MS: 1500, CRASH_BETTING_MS: 700, CRASH_PAUSE_MS: 200, CRASH_TIME_SCALE: 8 },
      { clock },
    );
    await seedProducts(em(), DEMO_CATALOG);
  });
  after(async () => {
    await s?.stop();
  });

  const nextSpinLoses = (u: { userId: string; access: string }, betPerLine: number) =>
    rotateToLosingSpin(s, { userId: u.userId, token: u.access }, betPerLine);

  it('a 100 GOLD daily loss limit: after losing 100 GOLD in the slot the next spin is refused with 0 remaining', async () => {
    const u = await signup(s.http);
    const set = await setLimits(u.access, [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 100 }]);
    expect(set.status).to.equal(200);
    expect(limitOf(set.body, 'loss', 'GOLD', 'day')).to.include({ amount: 100, used: 0, remaining: 100, pending: null });
    await nextSpinLoses(u, 5);
    const room = await joinAs(s.url, u.access, 'slot');
    const inbox = new Inbox(room);
    try {
      await inbox.next('machine');
      room.send('spin', { betPerLine: 5, ref: 1 });
      const lost = await inbox.next('spin_result', (m) => m.ref === 1);
      expect(lost).to.include({ bet: 100, total_payout: 0 });
      expect(lost.balances.GOLD).to.equal(900);
      room.send('spin', { betPerLine: 1, ref: 2 });
      const refused = await inbox.next('error', (m) => m.ref === 2);
      expect(refused).to.include({ code: 'limits/loss_limit', currency: 'GOLD', period: 'day', limit: 100, remaining: 0, required: 20 });
      expect(refused.message).to.match(/daily loss limit of 100 GOLD leaves 0 GOLD/);
      expect(await gold(u.userId), 'nothing was charged').to.equal(900);
      const view = (await s.http.get('/api/limits', { token: u.access })).body;
      expect(limitOf(view, 'loss', 'GOLD', 'day')).to.include({ used: 100, remaining: 0 });
      expect(view.usage.GOLD.day).to.deep.equal({ wagered: 100, loss: 100 });
    } finally {
      await room.leave();
    }
  });

  it('a limit set after play counts what was already played today (from the ledger)', async () => {
    const u = await signup(s.http);
    await nextSpinLoses(u, 5);
    const room = await joinAs(s.url, u.access, 'slot');
    const inbox = new Inbox(room);
    try {
      await inbox.next('machine');
      room.send('spin', { betPerLine: 5, ref: 1 });
      await inbox.next('spin_result');
      const set = await setLimits(u.access, [{ kind: 'wager', currency: 'GOLD', period: 'week', amount: 110 }]);
      expect(limitOf(set.body, 'wager', 'GOLD', 'week')).to.include({ used: 100, remaining: 10 });
      room.send('spin', { betPerLine: 1, ref: 2 });
      expect(await inbox.next('error', (m) => m.ref === 2)).to.include({ code: 'limits/wager_limit', remaining: 10, period: 'week' });
    } finally {
      await room.leave();
    }
  });

  it('a wager limit refuses a crash bet and an rps stake that would pass it, and counts an open crash bet in full', async () => {
    const u = await signup(s.http);
    await setLimits(u.access, [
      { kind: 'wager', currency: 'GOLD', period: 'day', amount: 150 },
      { kind: 'loss', currency: 'GOLD', period: 'month', amount: 1000 },
    ]);
    const crash = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(crash);
    const betting = () =>
      eventually(
        () => crash.state as any,
        (st) => st?.phase === 'betting' && st.bettingEndsAt - Date.now() > 300,
        10_000,
      );
    try {
      await betting();
      crash.send('bet', { amount: 100 });
      const placed = await inbox.next('bet_placed', () => true, 20_000);
      const view = (await s.http.get('/api/limits', { token: u.access })).body;
      // the open stake counts against the loss limit at its full stake
      expect(limitOf(view, 'loss', 'GOLD', 'month')).to.include({ used: 100 });
      await inbox.next('crashed', (m) => m.crash_round_id === placed.crash_round_id, 40_000);
      await betting();
      crash.send('bet', { amount: 60 });
      const refused = await inbox.next('error', () => true, 20_000);
      expect(refused).to.include({ code: 'limits/wager_limit', remaining: 50, limit: 150 });
    } finally {
      await crash.leave();
    }
    const before = await gold(u.userId);
    const err = await joinAs(s.url, u.access, 'rps', { stake: 60 }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/^limits\/wager_limit: .*leaves 50 GOLD/);
    expect(await gold(u.userId)).to.equal(before);
    const rps = await joinAs(s.url, u.access, 'rps', { stake: 50 });
    try {
      await new Inbox(rps).next('seat');
      expect(await gold(u.userId)).to.equal(before - 50);
    } finally {
      await rps.leave();
    }
  });

  it('two concurrent bets where only one fits: exactly one is accepted (slot group commit, escrow batch)', async () => {
    const u = await signup(s.http);
    await setLimits(u.access, [{ kind: 'wager', currency: 'GOLD', period: 'day', amount: 150 }]);
    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'test-room');
    const spins = await Promise.allSettled(
      [0, 1].map(() => s.services.slot.spin({ userId: u.userId, sessionId, machine: SLOT_V1, betPerLine: 5 })),
    );
    expect(spins.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = spins.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).to.equal('limits/wager_limit');
    // the escrow path: two stakes of 40 with 50 left
    const stakes = await Promise.allSettled(
      [0, 1].map((i) => s.services.escrow.open({ userId: u.userId, sessionId, game: 'crash', groupId: `g${i}`, amount: 40, fairness: {} })),
    );
    expect(stakes.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect((stakes.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code).to.equal('limits/wager_limit');
    const view = (await s.http.get('/api/limits', { token: u.access })).body;
    expect(limitOf(view, 'wager', 'GOLD', 'day')).to.include({ used: 140, remaining: 10 });
    const [ledger] = await em().execute<Array<{ n: string }>>(
      `select count(*) as n from ledger_entries where user_id = ? and reason = 'bet'`,
      [u.userId],
    );
    expect(Number(ledger.n)).to.equal(2);
  });

  it("two bets in separate transactions where only one fits: the second reads the first one's committed totals under the wallet lock", async () => {
    const u = await signup(s.http);
    await setLimits(u.access, [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 150 }]);
    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'test-room');
    // each request settled alone (its own transaction, as a batch of one): no in-memory sharing between the two
    const games = s.services.games as unknown as { settleBatch: (reqs: unknown[]) => Promise<Array<{ ok: boolean; error?: any }>> };
    const lose = () => ({
      userId: u.userId,
      sessionId,
      game: 'slot',
      bet: 100,
      decide: () => ({ payout: 0, multiplier: 0, outcome: {} }),
    });
    const rounds = (await Promise.all([games.settleBatch([lose()]), games.settleBatch([lose()])])).flat();
    expect(rounds.filter((o) => o.ok)).to.have.length(1);
    expect(rounds.find((o) => !o.ok)!.error.code).to.equal('limits/loss_limit');
    const escrow = s.services.escrow as unknown as { batch: unknown };
    const stake = (i: number) => ({
      roundId: crypto.randomUUID(),
      userId: u.userId,
      sessionId,
      game: 'crash' as const,
      groupId: `g${i}`,
      amount: 40,
      fairness: {},
    });
    const stakes = (await Promise.all([0, 1].map((i) => openStakes(escrow.batch as never, [stake(i)])))).flat();
    expect(stakes.filter((o) => o.ok)).to.have.length(1);
    expect((stakes.find((o) => !o.ok) as { error: any }).error.code).to.equal('limits/loss_limit');
    const view = (await s.http.get('/api/limits', { token: u.access })).body;
    expect(limitOf(view, 'loss', 'GOLD', 'day')).to.include({ used: 140, remaining: 10 });
  });

  it('a premium purchase past a spend limit is refused with what remains', async () => {
    const u = await signup(s.http);
    await setLimits(u.access, [{ kind: 'spend', currency: 'USD', period: 'month', amount: 600 }]);
    const buy = (key: string) =>
      s.http.post('/api/shop/purchase', { sku: 'gem_pack_500', quantity: 1 }, { token: u.access, headers: { 'idempotency-key': key } });
    expect((await buy('k1')).status).to.equal(202);
    const refused = await buy('k2');
    expect(refused.status).to.equal(409);
    expect(refused.body).to.include({ error: 'limits/spend_limit', remaining: 101 });
    const view = (await s.http.get('/api/limits', { token: u.access })).body;
    expect(limitOf(view, 'spend', 'USD', 'month')).to.include({ used: 499, remaining: 101 });
  });

  it('a self-excluded player cannot join any game room nor buy, and cannot lift it; the hub stays open', async () => {
    const u = await signup(s.http);
    const unconfirmed = await s.http.post('/api/limits/block', { kind: 'self_exclusion', duration: '6m' }, { token: u.access });
    expect(unconfirmed.status).to.equal(400);
    const slot = await joinAs(s.url, u.access, 'slot');
    const closed = new Promise<number>((resolve) => slot.onLeave((code) => resolve(code)));
    const block = await startBlock(u.access, 'self_exclusion', '6m');
    expect(block.status).to.equal(200);
    expect(block.body.block.kind).to.equal('self_exclusion');
    expect(await closed, 'the open game room is closed').to.equal(PLAY_BLOCKED_CLOSE_CODE);
    for (const [room, options] of [
      ['slot', {}],
      ['crash', {}],
      ['rps', { stake: 10 }],
      ['gacha', {}],
    ] as const) {
      const err = await joinAs(s.url, u.access, room, options).then(
        () => null,
        (e: Error & { code?: number }) => e,
      );
      expect(err, room).to.not.equal(null);
      expect(err!.message, room).to.match(/^limits\/self_excluded: You excluded yourself from play until /);
      expect(err!.code, room).to.equal(PLAY_BLOCKED_CLOSE_CODE);
    }
    const buy = await s.http.post(
      '/api/shop/purchase',
      { sku: 'lucky_charm', quantity: 1 },
      { token: u.access, headers: { 'idempotency-key': 'x1' } },
    );
    expect(buy.status).to.equal(403);
    expect(buy.body.error).to.equal('limits/self_excluded');
    // a shorter cool-off does not end or shorten it
    const until = block.body.block.until;
    const cool = await startBlock(u.access, 'cool_off', '24h');
    expect(cool.body.block).to.deep.equal({ kind: 'self_exclusion', until });
    const hub = await joinAs(s.url, u.access, 'hub');
    await hub.leave();
  });

  it('a cool-off cannot be lifted or shortened by the player', async () => {
    const u = await signup(s.http);
    const on = await startBlock(u.access, 'cool_off', '7d');
    const until = on.body.block.until;
    const shorter = await startBlock(u.access, 'cool_off', '24h');
    expect(shorter.body.block).to.deep.equal({ kind: 'cool_off', until });
    const err = await joinAs(s.url, u.access, 'slot').then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).to.match(/^limits\/cool_off: /);
    const bad = await startBlock(u.access, 'cool_off', '6m');
    expect(bad.status).to.equal(400);
  });

  it('reality check: the room sends time played and the net result every N minutes', async () => {
    const u = await signup(s.http);
    const bad = await s.http.request('PUT', '/api/limits/reality-check', { token: u.access, body: { minutes: 7 } });
    expect(bad.status).to.equal(400);
    const ok = await s.http.request('PUT', '/api/limits/reality-check', { token: u.access, body: { minutes: 15 } });
    expect(ok.body).to.include({ reality_check_minutes: 15, reality_check_custom: true });
    // a tiny interval for the test: the default (config) applies when the player chose none
    await s.http.request('PUT', '/api/limits/reality-check', { token: u.access, body: { minutes: null } });
    (s.services.limits as unknown as { opts: { realityCheckDefaultMinutes: number } }).opts.realityCheckDefaultMinutes = 0.01;
    const room = await joinAs(s.url, u.access, 'slot');
    const inbox = new Inbox(room);
    try {
      await inbox.next('machine');
      room.send('spin', { betPerLine: 1, ref: 1 });
      const r = await inbox.next('spin_result');
      const check = await inbox.next('reality_check', (m) => m.wagered.GOLD === 20, 5000);
      expect(check).to.include({ interval_minutes: 0.01, minutes_played: 0 });
      expect(check.net.GOLD).to.equal(r.total_payout - 20);
      expect(check.seconds_played).to.be.at.least(0);
    } finally {
      (s.services.limits as unknown as { opts: { realityCheckDefaultMinutes: number } }).opts.realityCheckDefaultMinutes = 60;
      await room.leave();
    }
  });

  it('refuses bad limits with 400 and changes nothing', async () => {
    const u = await signup(s.http);
    for (const limits of [
      [{ kind: 'loss', currency: 'USD', period: 'day', amount: 5 }],
      [{ kind: 'spend', currency: 'GOLD', period: 'day', amount: 5 }],
      [{ kind: 'loss', currency: 'GOLD', period: 'year', amount: 5 }],
      [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: -1 }],
      [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 1.5 }],
      [
        { kind: 'loss', currency: 'GOLD', period: 'day', amount: 5 },
        { kind: 'loss', currency: 'GOLD', period: 'day', amount: 6 },
      ],
      [],
    ]) {
      const r = await setLimits(u.access, limits);
      expect(r.status, JSON.stringify(limits)).to.equal(400);
      expect(r.body.error).to.equal('request/invalid');
    }
    expect((await s.http.get('/api/limits', { token: u.access })).body.limits).to.deep.equal([]);
    expect((await s.http.get('/api/limits')).status).to.equal(401);
  });

  it("operators read a player's limits and history (players:read); no admin route changes them", async () => {
    const u = await signup(s.http);
    await setLimits(u.access, [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 300 }]);
    await startBlock(u.access, 'cool_off', '24h');
    const viewer = await createOperator(s, 'viewer');
    const res = await s.http.get(`/api/admin/players/${u.userId}/limits`, { token: viewer.access });
    expect(res.status).to.equal(200);
    expect(limitOf(res.body, 'loss', 'GOLD', 'day')).to.include({ amount: 300, remaining: 300 });
    expect(res.body.block.kind).to.equal('cool_off');
    expect(res.body.history.map((h: any) => [h.actor, h.action])).to.deep.equal([
      ['player', 'cool_off'],
      ['player', 'limit_lowered'],
    ]);
    expect((await s.http.get(`/api/admin/players/${u.userId}/limits`, { token: u.access })).status).to.equal(403);
    const doc = (await s.http.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const writes = Object.entries(doc.paths).filter(
      ([p, ops]) => p.includes('limits') && p.startsWith('/api/admin') && Object.keys(ops).some((m) => m !== 'get'),
    );
    expect(writes, 'admin write routes on limits').to.deep.equal([]);
  });

  // last: it moves the server's clock
  it('lowering applies at once; raising or removing waits 24 h (pending), asking again keeps its time; a cool-off ends on its own', async () => {
    const u = await signup(s.http);
    // a 24 h cool-off started now has ended once the clock moved 25 h below
    const resting = await signup(s.http);
    const rest = await startBlock(resting.access, 'cool_off', '24h');
    expect(rest.body.block.kind).to.equal('cool_off');
    await setLimits(u.access, [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 500 }]);
    const lower = await setLimits(u.access, [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 200 }]);
    expect(limitOf(lower.body, 'loss', 'GOLD', 'day')).to.include({ amount: 200, pending: null });
    const raise = await setLimits(u.access, [
      { kind: 'loss', currency: 'GOLD', period: 'day', amount: 800 },
      { kind: 'wager', currency: 'GEM', period: 'week', amount: 50 },
    ]);
    expect(raise.status, raise.text).to.equal(200);
    const raised = limitOf(raise.body, 'loss', 'GOLD', 'day');
    expect(raised.amount).to.equal(200);
    expect(raised.pending.amount).to.equal(800);
    const at = new Date(raised.pending.effective_at).getTime();
    expect(at - clock.now().getTime()).to.be.within(23.9 * 3600e3, 24 * 3600e3);
    offsetMs += 3600e3; // an hour later the same raise again: it keeps its time
    const relogin = async () => (await s.http.post('/api/auth/login', { username: u.username, password: u.password })).body.access_token;
    u.access = await relogin();
    const again = await setLimits(u.access, [{ kind: 'loss', currency: 'GOLD', period: 'day', amount: 800 }]);
    expect(limitOf(again.body, 'loss', 'GOLD', 'day').pending.effective_at).to.equal(raised.pending.effective_at);
    const removal = await setLimits(u.access, [{ kind: 'wager', currency: 'GEM', period: 'week', amount: null }]);
    expect(limitOf(removal.body, 'wager', 'GEM', 'week')).to.deep.include({ amount: 50 });
    expect(limitOf(removal.body, 'wager', 'GEM', 'week').pending.amount).to.equal(null);
    const history = await em().execute<Array<{ action: string }>>('select action from play_limit_history where user_id = ? order by id', [
      u.userId,
    ]);
    expect(history.map((h) => h.action)).to.deep.equal([
      'limit_lowered',
      'limit_lowered',
      'limit_raise_requested',
      'limit_lowered',
      'limit_removal_requested',
    ]);
    offsetMs += 24 * 3600e3;
    const view = (await s.http.get('/api/limits', { token: await relogin() })).body;
    expect(limitOf(view, 'loss', 'GOLD', 'day')).to.include({ amount: 800, pending: null });
    expect(limitOf(view, 'wager', 'GEM', 'week')).to.equal(undefined);
    const back = (await s.http.post('/api/auth/login', { username: resting.username, password: resting.password })).body.access_token;
    expect((await s.http.get('/api/limits', { token: back })).body.block).to.equal(null);
    const room = await joinAs(s.url, back, 'slot');
    await room.leave();
  });
});
