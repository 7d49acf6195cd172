import { expect } from 'chai';
import { Client, type Room } from '@colyseus/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { drop, eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { multiplierAt } from '../../domain/games/crash/curve.ts';

describe('crash room', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('crashroom', {
      CRASH_BETTING_MS: 700,
      CRASH_PAUSE_MS: 200,
      CRASH_TIME_SCALE: 8,
      ROOM_RECONNECT_SECONDS: 1,
      CRASH_MAX_PAYOUT: 50_000_000,
    });
  });
  after(async () => {
    await s?.stop();
  });

  async function crashPointOf(crashRoundId: string): Promise<number> {
    const [r] = await em().execute('select crash_point from crash_rounds where id = ?', [crashRoundId]);
    return Number(r.crash_point);
  }
  // a betting window with time left for a bet to arrive (the window is 700 ms; a slow machine must not miss it)
  const betting = (room: Room) =>
    eventually(
      () => room.state as any,
      (st) => st?.phase === 'betting' && st.bettingEndsAt - Date.now() > 300,
      10_000,
    );
  const gold = async (userId: string) => (await s.services.wallet.balances(em(), userId)).GOLD;

  it('takes a bet with auto cash-out and settles it exactly as the crash point says', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(room);
    try {
      await betting(room);
      room.send('bet', { amount: 100, autoCashout: 150 });
      const placed = await inbox.next('bet_placed');
      expect(placed.balances.GOLD).to.equal(900);
      const crashed = await inbox.next('crashed', (m) => m.crash_round_id === placed.crash_round_id, 40_000);
      const point = await crashPointOf(placed.crash_round_id);
      expect(crashed.crash_point).to.equal(point);
      const [row] = await em().execute('select status, payout, multiplier from game_rounds where id = ?', [placed.round_id]);
      if (point > 150) {
        const out = await inbox.next('cashed_out');
        expect(out).to.include({ multiplier: 150, payout: 150, reason: 'auto_cashout' });
        expect(row).to.deep.include({ status: 'settled', payout: '150', multiplier: 150 });
      } else {
        expect(row).to.deep.include({ status: 'settled', payout: '0' });
      }
      expect(await gold(u.userId)).to.equal(point > 150 ? 1050 : 900);
      expect((room.state as any).history.at(-1)).to.equal(point);
      const rec = await eventually(
        () => s.http.get(`/api/fairness/rounds/${placed.round_id}`),
        (res) => res.body.crash?.round_hash !== null,
      );
      expect(rec.body.verification).to.include({ verifiable: true, matches: true });
    } finally {
      await room.leave();
    }
  });

  it('cashes out at the server multiplier on receipt, or answers game/too_late after the crash', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(room);
    try {
      await betting(room);
      room.send('bet', { amount: 200 });
      const placed = await inbox.next('bet_placed');
      await eventually(
        () => (room.state as any).phase,
        (p) => p === 'running',
        10_000,
      );
      const sentAt = performance.now();
      room.send('cashout', {});
      const reply = (await inbox.first(['cashed_out', 'error'])).payload;
      const elapsed = performance.now() - sentAt;
      const point = await crashPointOf(placed.crash_round_id);
      if ('payout' in reply) {
        expect(reply.reason).to.equal('cashout');
        expect(reply.multiplier).to.be.at.least(100).and.below(point);
        expect(reply.payout).to.equal(Math.floor((200 * reply.multiplier) / 100));
        expect(await gold(u.userId)).to.equal(800 + reply.payout);
      } else {
        expect(reply.code, reply.message).to.equal('game/too_late');
        // only a crash point the curve reached before the cash-out arrived can beat it (the curve runs 8x fast here)
        expect(point).to.be.at.most(multiplierAt((elapsed + 200) * 8));
      }
    } finally {
      await room.leave();
    }
  });

  it("times a paid cash-out's phases (crash_cashout_phase_seconds), and they add up to its whole", async () => {
    const metric = async (kind: 'sum' | 'count', p: string) =>
      Number(
        (await s.http.get('/metrics')).text.match(new RegExp(`^crash_cashout_phase_seconds_${kind}\\{phase="${p}"\\} (.+)$`, 'm'))?.[1] ??
          0,
      );
    const before = await metric('count', 'total');
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(room);
    try {
      // a cash-out sent as the curve starts is paid unless the round crashes at once: a few rounds at most
      let paid = false;
      for (let round = 0; round < 5 && !paid; round++) {
        await betting(room);
        room.send('bet', { amount: 10 });
        await inbox.next('bet_placed');
        await eventually(
          () => (room.state as any).phase,
          (p) => p === 'running',
          10_000,
        );
        room.send('cashout', {});
        paid = (await inbox.first(['cashed_out', 'error'])).type === 'cashed_out';
      }
      expect(paid, 'a cash-out paid in 5 rounds').to.equal(true);
      const phases = ['mailbox', 'queue', 'lock', 'write', 'commit', 'reply'];
      // the metric is observed as the handler resumes, just after cashed_out went out
      await eventually(
        () => metric('count', 'total'),
        (n) => n === before + 1,
        2_000,
      );
      for (const p of phases) expect(await metric('count', p), p).to.equal(before + 1);
      let parts = 0;
      for (const p of phases) parts += await metric('sum', p);
      expect(parts).to.be.closeTo(await metric('sum', 'total'), 0.001);
    } finally {
      await room.leave();
    }
  });

  it('answers game/too_late to a cash-out that arrives after its bet crashed, even once later rounds take bets or ran', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(room);
    try {
      await betting(room);
      room.send('bet', { amount: 100 });
      const placed = await inbox.next('bet_placed');
      const crashed = await inbox.next('crashed', (m) => m.crash_round_id === placed.crash_round_id, 40_000);
      const next = await eventually(
        () => ({ ...(room.state as any) }),
        (st) => st.phase === 'betting',
        10_000,
      );
      room.send('cashout', {});
      const reply = await inbox.next('error');
      expect(reply.code, reply.message).to.equal('game/too_late');
      expect(reply.message).to.include(`${(crashed.crash_point / 100).toFixed(2)}x`);
      // later still: the next round ran and crashed without this player (a loaded client may only then send it)
      await eventually(
        () => ({ ...(room.state as any) }),
        (st) => st.phase === 'betting' && st.roundId !== next.roundId,
        40_000,
      );
      room.send('cashout', {});
      const later = await inbox.next('error');
      expect(later.code, later.message).to.equal('game/too_late');
      expect(later.message).to.include(`${(crashed.crash_point / 100).toFixed(2)}x`);
      expect(await gold(u.userId)).to.equal(900);
    } finally {
      await room.leave();
    }
  });

  it('announces how a round ended before the next round starts, even when its settlement commits slowly', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(room);
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let holding: Promise<void> | undefined;
    try {
      await betting(room);
      room.send('bet', { amount: 10 });
      const placed = await inbox.next('bet_placed');
      const events: string[] = [];
      room.onStateChange((st: any) => {
        if (st.roundId !== placed.crash_round_id && !events.includes('next round')) events.push('next round');
      });
      const crashed = inbox
        .next('crashed', (m) => m.crash_round_id === placed.crash_round_id, 40_000)
        .then((m) => {
          events.push('crashed');
          return m;
        });
      // the bet's round row is locked elsewhere, so the settlement of the crash waits well past the 200 ms pause
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      holding = s.orm.em.fork().transactional(async (tx) => {
        await (tx as EntityManager).execute('select id from game_rounds where id = ? for update', [placed.round_id]);
        locked();
        await released;
      });
      await isLocked;
      await eventually(
        () => (room.state as any).phase,
        (p) => p === 'crashed',
        40_000,
      );
      await new Promise((r) => setTimeout(r, 1000));
      release();
      await crashed;
      await eventually(
        () => events.length,
        (n) => n === 2,
        10_000,
      );
      expect(events).to.deep.equal(['crashed', 'next round']);
    } finally {
      release();
      await holding;
      await room.leave();
    }
  });

  it('answers bad input, wrong phase, double bets and insufficient funds with an error and changes nothing', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(room);
    try {
      await betting(room);
      for (const bad of [{ amount: -5 }, { amount: 'lots' }, { amount: 10, autoCashout: 50 }, { amount: 10, extra: true }, null]) {
        room.send('bet', bad as never);
        expect((await inbox.next('error')).code).to.equal('request/invalid');
      }
      room.send('teleport', {});
      expect((await inbox.next('error')).message).to.match(/Unknown message type "teleport"/);
      room.send('bet', { amount: 5000 });
      const poor = await inbox.next('error');
      expect(poor).to.include({ code: 'wallet/insufficient_funds' });
      room.send('bet', { amount: 10 });
      const placed = await inbox.next('bet_placed');
      room.send('bet', { amount: 10 });
      expect(await inbox.next('error')).to.include({ code: 'game/not_allowed', reason: 'duplicate_bet' });
      expect(await gold(u.userId)).to.equal(990);
      await eventually(
        () => (room.state as any).phase,
        (p) => p === 'running',
        10_000,
      );
      room.send('bet', { amount: 10 });
      expect((await inbox.next('error')).code).to.equal('game/not_allowed');
      await inbox.next('crashed', (m) => m.crash_round_id === placed.crash_round_id, 40_000);
      expect(room.connection.isOpen).to.equal(true);
    } finally {
      await room.leave();
    }
  });

  it("keeps a dropped player's seat and bet within the reconnection window", async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const inbox = new Inbox(room);
    await betting(room);
    room.send('bet', { amount: 50 });
    await inbox.next('bet_placed');
    const token = drop(room);
    const client = new Client(s.url);
    client.auth.token = u.access;
    const back = await client.reconnect(token);
    try {
      expect(back.sessionId).to.equal(room.sessionId);
      const bet = await eventually(
        () => (back.state as any)?.bets?.get(u.userId),
        (b) => !!b,
      );
      expect(bet.amount).to.equal(50);
    } finally {
      await back.leave();
    }
  });

  it('closes the seat and the session when the reconnection window passes', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    await eventually(
      () => (room.state as any).phase,
      (p) => typeof p === 'string',
    );
    const token = drop(room);
    const [session] = await eventually(
      () => em().execute<{ status: string }[]>(`select status from game_sessions where user_id = ? and game = 'crash'`, [u.userId]),
      (r) => r[0]?.status === 'closed',
      5000,
    );
    expect(session.status).to.equal('closed');
    const client = new Client(s.url);
    client.auth.token = u.access;
    const err = await client.reconnect(token).then(
      () => null,
      (e) => e,
    );
    expect(err).to.not.equal(null);
  });
});
