import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';

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

  it('holds 200 players in one room, each with a bet, and settles them all', async () => {
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
      rooms.forEach((r, i) => r.send('bet', { amount: 10, autoCashout: 101 + (i % 50) }));
      const placed = await Promise.all(inboxes.map((b) => b.next('bet_placed', () => true, 15_000)));
      const roundId = placed[0].crash_round_id;
      expect(placed.every((p) => p.crash_round_id === roundId)).to.equal(true);
      // the shared state shows all 200 bets (read now: once the round is over the next one clears them)
      const shown = await eventually(
        () => (rooms[0].state as any).bets.size as number,
        (n) => n === 200,
        5000,
      );
      expect(shown).to.equal(200);
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
});
