import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isBigWin, toMultiplierHundredths } from '../../domain/games/payout.ts';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import { spinSlot, SLOT_FLOATS_PER_SPIN } from '../../domain/games/slot/rules.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';
import { Inbox, joinAs } from '../helpers/room-client.ts';

describe('slot hall room', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('slotroom', { ROOM_MESSAGES_PER_SECOND: 50 });
  });
  after(async () => {
    await s?.stop();
  });

  it('spins: the balance moves exactly as the ledger says, and every round re-verifies from the revealed seed', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'slot');
    const inbox = new Inbox(room);
    try {
      const machine = await inbox.next('machine');
      expect(machine.lines).to.equal(20);
      let expected = 1000;
      const results = [];
      // a spin's result is its own frame: the hall's state changes only with a big win (or a join or a leave)
      await new Promise((r) => setTimeout(r, 200));
      let patches = 0;
      room.onStateChange(() => patches++);
      for (let i = 0; i < 25; i++) {
        room.send('spin', { betPerLine: 1, ref: i });
        const r = await inbox.next('spin_result', (m) => m.ref === i);
        expected += r.total_payout - r.bet;
        expect(r.bet).to.equal(20);
        expect(r.balances.GOLD).to.equal(expected);
        results.push(r);
      }
      const ledger = await em().execute<{ delta: string }[]>(
        `select delta from ledger_entries where user_id = ? and reason in ('bet', 'win')`,
        [u.userId],
      );
      expect(1000 + ledger.reduce((a, l) => a + Number(l.delta), 0)).to.equal(expected);

      const rotated = await s.http.post('/api/fairness/rotate', undefined, { token: u.access });
      const serverSeed = rotated.body.previous.server_seed;
      for (const r of results) {
        const rec = await s.http.get(`/api/fairness/rounds/${r.round_id}`);
        expect(rec.body.seed.server_seed).to.equal(serverSeed);
        expect(rec.body.verification).to.include({ verifiable: true, matches: true });
        const again = spinSlot(
          SLOT_V1,
          roundFloats({ serverSeed, clientSeed: rec.body.seed.client_seed, nonce: rec.body.seed.nonce }, SLOT_FLOATS_PER_SPIN),
          1,
        );
        expect(again.totalPayout).to.equal(rec.body.payout);
        expect(again.grid).to.deep.equal(rec.body.outcome.grid);
        for (const f of r.free_spins) {
          const free = spinSlot(
            SLOT_V1,
            roundFloats({ serverSeed, clientSeed: rec.body.seed.client_seed, nonce: f.nonce }, SLOT_FLOATS_PER_SPIN),
            1,
            { freeSpin: true },
          );
          expect(free.totalPayout).to.equal(f.payout);
        }
      }
      await new Promise((r) => setTimeout(r, 200));
      const bigWins = results.filter((r) => isBigWin(toMultiplierHundredths(r.total_payout, r.bet))).length;
      expect(patches, 'state patches during the spins').to.be.at.most(bigWins);
      expect((room.state as any).players.get(room.sessionId).userId).to.equal(u.userId);
      const metrics = (await s.http.get('/metrics')).text;
      expect(Number(metrics.match(/game_rounds_settled_total\{game="slot"\} (\d+)/)?.[1])).to.be.at.least(25);
      expect(Number(metrics.match(/^colyseus_rooms (\d+)/m)?.[1])).to.be.at.least(1);
      expect(metrics).to.match(/bullmq_jobs\{queue="outbox",state="\w+"\}/);
      // every spin's phases are timed, and they add up to its whole
      const phase = (p: string) => Number(metrics.match(new RegExp(`^slot_spin_phase_seconds_sum\\{phase="${p}"\\} (.+)$`, 'm'))?.[1]);
      const count = (p: string) => Number(metrics.match(new RegExp(`^slot_spin_phase_seconds_count\\{phase="${p}"\\} (\\d+)$`, 'm'))?.[1]);
      for (const p of ['mailbox', 'queue', 'lock', 'write', 'commit', 'reply', 'total']) expect(count(p), p).to.be.at.least(25);
      const parts = ['mailbox', 'queue', 'lock', 'write', 'commit', 'reply'].reduce((a, p) => a + phase(p), 0);
      expect(parts).to.be.closeTo(phase('total'), 0.001);
    } finally {
      await room.leave();
    }
  });

  it('answers an invalid bet level, a malformed message and insufficient funds with an error and changes nothing', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'slot');
    const inbox = new Inbox(room);
    try {
      room.send('spin', { betPerLine: 3 });
      expect((await inbox.next('error')).code).to.equal('request/invalid');
      room.send('spin', { betPerLine: '1; drop table users' });
      expect((await inbox.next('error')).code).to.equal('request/invalid');
      room.send('spin', { betPerLine: 50 }); // 1000 GOLD total bet: affordable once
      const first = await inbox.next('spin_result');
      expect(first.bet).to.equal(1000);
      if (first.balances.GOLD < 1000) {
        room.send('spin', { betPerLine: 50 });
        const err = await inbox.next('error');
        expect(err.code).to.equal('wallet/insufficient_funds');
        expect((await s.services.wallet.balances(em(), u.userId)).GOLD).to.equal(first.balances.GOLD);
      }
      expect(room.connection.isOpen).to.equal(true);
    } finally {
      await room.leave();
    }
  });

  it('rate-limits a flooding client with rate/limited errors instead of disconnecting it', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'slot');
    const inbox = new Inbox(room);
    try {
      for (let i = 0; i < 120; i++) room.send('spin', { betPerLine: 'x' });
      const limited = await inbox.next('error', (m) => m.code === 'rate/limited');
      expect(limited.message).to.match(/slow down/);
      expect(room.connection.isOpen).to.equal(true);
    } finally {
      await room.leave();
    }
  });

  it('closes the game session on leave with its totals, XP and per-game stats', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'slot');
    const inbox = new Inbox(room);
    for (let i = 0; i < 3; i++) {
      room.send('spin', { betPerLine: 5, ref: i });
      await inbox.next('spin_result', (m) => m.ref === i);
    }
    await room.leave();
    const rows = await em().execute<any[]>(`select status, rounds, wagered from game_sessions where user_id = ?`, [u.userId]);
    expect(rows).to.have.length(1);
    expect(rows[0].status).to.equal('closed');
    expect(Number(rows[0].wagered)).to.equal(300);
    expect(rows[0].rounds).to.be.at.least(3);
    const [user] = await em().execute('select xp from users where id = ?', [u.userId]);
    expect(Number(user.xp)).to.equal(30);
    const [stat] = await em().execute(`select sessions, wagered from game_stats where user_id = ? and game = 'slot'`, [u.userId]);
    expect(stat).to.deep.include({ sessions: 1, wagered: '300' });
  });

  it('publishes the pay sheet with the exact RTP between 95 % and 97 %', async () => {
    const res = await s.http.get('/api/games/slot');
    expect(res.status).to.equal(200);
    expect(res.body.rtp).to.be.within(0.95, 0.97);
    expect(res.body).to.include.keys('hitFrequency', 'volatility', 'paylines', 'strips', 'paytable');
    expect(res.body.paylines).to.have.length.of.at.least(10);
  });
});
