import { expect } from 'chai';
import { Client, type Room } from '@colyseus/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';

/** Drops the connection without consent (as a network failure would). */
function drop(room: Room): void {
  room.reconnection.enabled = false;
  room.connection.close(4010);
}

/** Concurrent joins, second tabs, rejoins and crafted frames: every seat and stake stays one connection's own. */
describe('room races and crafted messages', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('roomraces', { ROOM_RECONNECT_SECONDS: 1, RPS_HOUSE_AFTER_MS: 400, RPS_PICK_TIMEOUT_MS: 800 });
  });
  after(async () => {
    await s?.stop();
  });

  const openRounds = async (userIds: string[]) =>
    (
      await em().execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where status = 'open' and user_id in (?)`, [userIds])
    )[0].n;
  const openSessions = async (userIds: string[]) =>
    (
      await em().execute<{ n: number }[]>(`select count(*)::int as n from game_sessions where status = 'open' and user_id in (?)`, [
        userIds,
      ])
    )[0].n;

  it('rps: twelve players joining one stake at once get one seat each, and every stake ends settled or refunded', async () => {
    const players = await Promise.all(Array.from({ length: 12 }, () => signup(s.http)));
    const joined = await Promise.all(
      players.map((p) => joinAs(s.url, p.access, 'rps', { stake: 313 }).then((room) => ({ room, inbox: new Inbox(room) }))),
    );
    const rooms = joined.map((j) => j.room);
    try {
      const seats = await Promise.all(joined.map((j) => j.inbox.next('seat')));
      const byRoom = new Map<string, string[]>();
      rooms.forEach((r, i) => byRoom.set(r.roomId, [...(byRoom.get(r.roomId) ?? []), seats[i].seat]));
      for (const [roomId, keys] of byRoom) {
        expect(keys.length, `players in ${roomId}`).to.be.at.most(2);
        expect(new Set(keys).size, `distinct seats in ${roomId}: ${keys}`).to.equal(keys.length);
      }
      // nobody picks: pairs forfeit both (void, refunded), lone players lose to the house
      await eventually(
        () => openRounds(players.map((p) => p.userId)),
        (n) => n === 0,
        10_000,
      );
      expect(await openRounds(players.map((p) => p.userId)), 'stakes left in escrow').to.equal(0);
    } finally {
      await Promise.all(rooms.map((r) => r.leave().catch(() => undefined)));
    }
    await eventually(
      () => openSessions(players.map((p) => p.userId)),
      (n) => n === 0,
      5000,
    );
    expect(await openSessions(players.map((p) => p.userId))).to.equal(0);
  });

  it('rps: a player cannot take both seats of a duel from two tabs', async () => {
    const u = await signup(s.http);
    const first = await joinAs(s.url, u.access, 'rps', { stake: 317 });
    try {
      await new Inbox(first).next('seat');
      const second = await new Client(s.url).joinById(first.roomId, { stake: 317 }).then(
        (r: Room) => r.leave().then(() => null),
        (e: Error) => e,
      );
      // joinById authenticates with the same token
      expect(second, 'the second tab is refused').to.not.equal(null);
    } finally {
      await first.leave();
    }
  });

  it('rps: both players leaving mid-duel keep the room until the duel settles (no stake left open)', async () => {
    const [a, b] = await Promise.all([signup(s.http), signup(s.http)]);
    const ra = await joinAs(s.url, a.access, 'rps', { stake: 331 });
    await new Inbox(ra).next('seat');
    const rb = await joinAs(s.url, b.access, 'rps', { stake: 331 });
    await eventually(
      () => (ra.state as any).phase,
      (p) => p === 'picking',
    );
    // neither picks; both leave: at the deadline both forfeit, the duel is void and both stakes come back
    await Promise.all([ra.leave(), rb.leave()]);
    const rounds = await eventually(
      () => em().execute<{ status: string }[]>(`select status from game_rounds where user_id in (?, ?)`, [a.userId, b.userId]),
      (r) => r.length === 2 && r.every((x) => x.status !== 'open'),
      5000,
    );
    expect(rounds.map((r) => r.status)).to.deep.equal(['settled', 'settled']);
    for (const u of [a, b]) expect((await s.services.wallet.balances(em(), u.userId)).GOLD).to.equal(1000);
    expect(await openSessions([a.userId, b.userId])).to.equal(0);
  });

  it('slot: two tabs of one login get their own seats and sessions; closing one leaves the other playing', async () => {
    const u = await signup(s.http);
    const tab1 = await joinAs(s.url, u.access, 'slot');
    const tab2 = await joinAs(s.url, u.access, 'slot');
    try {
      expect(tab2.sessionId, 'room session ids').to.not.equal(tab1.sessionId);
      expect(await openSessions([u.userId])).to.equal(2);
      await tab1.leave();
      await eventually(
        () => openSessions([u.userId]),
        (n) => n === 1,
      );
      const inbox = new Inbox(tab2);
      tab2.send('spin', { betPerLine: 1 });
      const result = await inbox.next('spin_result');
      expect(result.round_id).to.be.a('string');
    } finally {
      await tab2.leave().catch(() => undefined);
    }
    await eventually(
      () => openSessions([u.userId]),
      (n) => n === 0,
    );
    expect(await openSessions([u.userId])).to.equal(0);
  });

  it('slot: a rejoin while the dropped seat waits for reconnection keeps playing after the window, and both sessions close', async () => {
    const u = await signup(s.http);
    const first = await joinAs(s.url, u.access, 'slot');
    await eventually(
      () => first.state as unknown,
      (st) => !!st,
    );
    drop(first);
    const again = await joinAs(s.url, u.access, 'slot');
    try {
      // the dropped seat's window (1 s) expires: its own session closes, not the live one
      await eventually(
        () => openSessions([u.userId]),
        (n) => n === 1,
        5000,
      );
      await new Promise((r) => setTimeout(r, 300));
      const inbox = new Inbox(again);
      again.send('spin', { betPerLine: 1 });
      const result = await inbox.next('spin_result');
      expect(result.round_id).to.be.a('string');
      expect(await openSessions([u.userId])).to.equal(1);
    } finally {
      await again.leave();
    }
    await eventually(
      () => openSessions([u.userId]),
      (n) => n === 0,
    );
    expect(await openSessions([u.userId])).to.equal(0);
  });

  it('answers a message typed "*" with a crafted payload, and any unknown type, with an error in every room', async () => {
    const u = await signup(s.http);
    for (const [name, options] of [
      ['slot', {}],
      ['crash', {}],
      ['gacha', { banner: 'neon-standard' }],
      ['hub', {}],
    ] as const) {
      const room = await joinAs(s.url, u.access, name, options);
      const inbox = new Inbox(room);
      try {
        // the payload takes the type's place in the wildcard handler: an object that cannot become a string
        room.send('*', { toString: 1, valueOf: 1 });
        const err = await inbox.next('error', () => true, 3000);
        expect(err.code, name).to.equal('request/invalid');
        room.send('no_such_type', { x: 1 });
        expect((await inbox.next('error', () => true, 3000)).message, name).to.match(/Unknown message type "no_such_type"/);
        expect(room.connection.isOpen, `${name} keeps the connection`).to.equal(true);
      } finally {
        await room.leave();
      }
    }
  });
});
