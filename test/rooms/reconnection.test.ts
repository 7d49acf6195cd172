import { expect } from 'chai';
import { Client, type Room } from '@colyseus/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { drop, eventually, Inbox, joinAs } from '../helpers/room-client.ts';

describe('reconnection in every game room', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('reconnect', { ROOM_RECONNECT_SECONDS: 1, RPS_HOUSE_AFTER_MS: 20_000 });
  });
  after(async () => {
    await s?.stop();
  });

  const cases: Array<{ room: string; options?: Record<string, unknown>; act: (r: Room) => void; reply: string }> = [
    { room: 'slot', act: (r) => r.send('spin', { betPerLine: 1 }), reply: 'spin_result' },
    { room: 'gacha', options: { banner: 'neon-standard' }, act: (r) => r.send('pull', { count: 1 }), reply: 'pull_result' },
    { room: 'rps', options: { stake: 77 }, act: () => undefined, reply: '' },
    { room: 'crash', act: () => undefined, reply: '' },
  ];

  for (const c of cases) {
    it(`${c.room}: a dropped player comes back within the window to the same seat and session, and can play on`, async () => {
      const u = await signup(s.http);
      const room = await joinAs(s.url, u.access, c.room, c.options);
      await eventually(
        () => room.state as unknown,
        (st) => !!st,
      );
      const back = await new Client(s.url).reconnect(drop(room));
      try {
        expect(back.sessionId).to.equal(room.sessionId);
        const sessions = await em().execute<{ status: string }[]>(`select status from game_sessions where user_id = ?`, [u.userId]);
        expect(sessions.map((x) => x.status)).to.deep.equal(['open']);
        if (c.reply) {
          const inbox = new Inbox(back);
          c.act(back);
          await inbox.next(c.reply);
        }
      } finally {
        await back.leave();
      }
    });

    it(`${c.room}: after the window the seat is gone and the session is closed`, async () => {
      const u = await signup(s.http);
      const room = await joinAs(s.url, u.access, c.room, c.options);
      await eventually(
        () => room.state as unknown,
        (st) => !!st,
      );
      const token = drop(room);
      const sessions = await eventually(
        () => em().execute<{ status: string }[]>(`select status from game_sessions where user_id = ?`, [u.userId]),
        (r) => r[0]?.status === 'closed',
        6000,
      );
      expect(sessions[0].status).to.equal('closed');
      const err = await new Client(s.url).reconnect(token).then(
        () => null,
        (e) => e,
      );
      expect(err, 'reconnecting after the window fails').to.not.equal(null);
      if (c.room === 'rps') expect((await s.services.wallet.balances(em(), u.userId)).GOLD, 'the escrowed stake came back').to.equal(1000);
    });
  }
});
