import { expect } from 'chai';
import { Client, type Room } from '@colyseus/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { drop, eventually, Inbox, joinAs } from '../helpers/room-client.ts';

// Its own file: one Colyseus server per process at a time (the matchmaker is a process singleton).
describe('crash room capacity', function () {
  this.timeout(120_000);
  let big: TestServer;
  // a betting window long enough for 200 bets sent from one test process
  before(async () => {
    big = await startTestServer('crash200', { CRASH_BETTING_MS: 8000, CRASH_PAUSE_MS: 200, CRASH_TIME_SCALE: 8 });
  });
  after(async () => {
    await big?.stop();
  });

  it('holds 200 players in one room, each with a bet, lists the 50 biggest, and settles them all', async () => {
    const users = [];
    for (let i = 0; i < 200; i++) users.push(await signup(big.http));
    const rooms: Room[] = [];
    for (const u of users) rooms.push(await joinAs(big.url, u.access, 'crash'));
    const bigEm = () => big.orm.em.fork() as EntityManager;
    try {
      expect(new Set(rooms.map((r) => r.roomId)).size).to.equal(1);
      const inboxes = rooms.map((r) => new Inbox(r));
      // a fresh betting window: wait until at least 5 s of betting are left
      await eventually(
        () => rooms[0].state as any,
        (st) => st.phase === 'betting' && st.bettingEndsAt - Date.now() > 5000,
        60_000,
      );
      // stakes 10 … 209 GOLD: the state lists the 50 biggest, and counts and totals all 200. The bets come over
      // about 2 s, and the table shows what was placed at most every 250 ms: each change patches every seat
      let patches = 0;
      rooms[0].onStateChange(() => patches++);
      const sentFrom = Date.now();
      for (const [i, r] of rooms.entries()) {
        r.send('bet', { amount: 10 + i, autoCashout: 101 + (i % 50) });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const placed = await Promise.all(inboxes.map((b) => b.next('bet_placed', () => true, 15_000)));
      const roundId = placed[0].crash_round_id;
      expect(placed.every((p) => p.crash_round_id === roundId)).to.equal(true);
      // read now: once the round is over the next one clears them
      const st = await eventually(
        () => rooms[0].state as any,
        (x) => x.betCount === 200,
        5000,
      );
      const bettingMs = Date.now() - sentFrom;
      expect(patches, `state patches during ${bettingMs} ms of bets`).to.be.at.most(Math.ceil(bettingMs / 250) + 2);
      expect(st.betTotal).to.equal((200 * (10 + 209)) / 2);
      const shown: number[] = [];
      st.bets.forEach((b: { amount: number }) => shown.push(b.amount));
      expect(shown.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => 160 + i));
      await inboxes[0].next('crashed', (m) => m.crash_round_id === roundId, 60_000);
      const rows = await eventually(
        () => bigEm().execute<{ status: string }[]>('select status from game_rounds r where r.group_id = ?', [roundId]),
        (rs) => rs.length === 200 && rs.every((r) => r.status === 'settled'),
        15_000,
      );
      expect(rows.filter((r) => r.status === 'settled')).to.have.length(200);
    } finally {
      await Promise.all(rooms.map((r) => r.leave()));
    }
  });

  it('tells a player who comes back to the table (a reload, a second tab) of their bet in the round', async () => {
    // another player keeps the table open while this one is away (an empty table is disposed)
    const other = await joinAs(big.url, (await signup(big.http)).access, 'crash');
    const otherInbox = new Inbox(other);
    const u = await signup(big.http);
    const first = await joinAs(big.url, u.access, 'crash');
    const inbox = new Inbox(first);
    // at least 5 s of betting left: the bet, the leave and the new join happen in this window
    await eventually(
      () => first.state as any,
      (st) => st.phase === 'betting' && st.bettingEndsAt - Date.now() > 5000,
      60_000,
    );
    first.send('bet', { amount: 40, autoCashout: 250 });
    const placed = await inbox.next('bet_placed');
    await first.leave();
    const again = await joinAs(big.url, u.access, 'crash');
    const againInbox = new Inbox(again);
    try {
      const mine = await againInbox.next('your_bet');
      expect(mine).to.deep.equal({
        crash_round_id: placed.crash_round_id,
        amount: 40,
        auto_cashout: 250,
        status: 'riding',
        multiplier: 0,
        payout: 0,
      });
      expect(again.roomId).to.equal(first.roomId);
      // a reload within the reconnection window reconnects to the seat: told again
      const token = drop(again);
      const client = new Client(big.url);
      client.auth.token = u.access;
      const back = await client.reconnect(token);
      const backInbox = new Inbox(back);
      expect(back.sessionId).to.equal(again.sessionId);
      expect((await backInbox.next('your_bet')).crash_round_id).to.equal(placed.crash_round_id);
      await back.leave();
      // a player without a bet in the round is told nothing
      const told = await new Inbox(other)
        .next('your_bet', () => true, 500)
        .then(
          () => 'told',
          (err: Error) => err.message,
        );
      expect(told).to.match(/no "your_bet" message/);
    } finally {
      await other.leave();
    }
  });
});
