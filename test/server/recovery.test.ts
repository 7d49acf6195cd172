import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { ormOptions } from '../../server/db/orm.config.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { processEnv, spawnServer } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

describe('restart recovery after SIGKILL in the middle of a crash round', function () {
  this.timeout(120_000);

  it('refunds or settles every bet exactly once and the ledger reconciles', async () => {
    const env = await processEnv('sigkill', { INSTANCE_ID: 'sigkill-test', CRASH_BETTING_MS: '2000', CRASH_PAUSE_MS: '500' });
    const first = await spawnServer(env);
    const players = [];
    try {
      for (let i = 0; i < 8; i++) players.push(await signup(first.http));
      const rooms: Room[] = [];
      for (const p of players) rooms.push(await joinAs(first.url, p.access, 'crash'));
      const inboxes = rooms.map((r) => new Inbox(r));
      // bet every round until one is running with bets still riding (a round may crash at 1.00x), then kill -9
      let killed = false;
      for (let attempt = 0; attempt < 10 && !killed; attempt++) {
        await eventually(
          () => rooms[0].state as any,
          (st) => st.phase === 'betting' && st.bettingEndsAt - Date.now() > 1000,
          30_000,
        );
        // half ride without a target, half auto cash out at 1.01x (which may settle before the kill)
        rooms.forEach((r, i) => r.send('bet', { amount: 100 + i, autoCashout: i % 2 ? 101 : null }));
        await Promise.all(inboxes.map((b) => b.next('bet_placed')));
        const st = await eventually(
          () => rooms[0].state as any,
          (x) => x.phase !== 'betting',
          10_000,
        );
        const riding = [...st.bets.values()].some((b: { status: string }) => b.status === 'riding');
        if (st.phase === 'running' && riding) killed = first.child.kill('SIGKILL');
      }
      expect(killed, 'killed during a running round with bets riding').to.equal(true);
      await first.exited;
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }

    const orm = await MikroORM.init(ormOptions(env.DATABASE_URL, 2));
    const em = () => orm.em.fork() as EntityManager;
    try {
      const openBefore = await em().execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where status = 'open'`);
      expect(openBefore[0].n, 'bets riding when the process died').to.be.greaterThan(0);

      const second = await spawnServer(env);
      try {
        expect((await second.http.get('/ready')).status).to.equal(200);
        const rounds = await em().execute<{ id: string; status: string; bet: string; payout: string }[]>(
          `select id, status, bet, payout from game_rounds where game = 'crash'`,
        );
        expect(rounds.length % 8).to.equal(0);
        for (const r of rounds) {
          expect(['settled', 'refunded'], r.id).to.include(r.status);
          const rows = await em().execute<{ reason: string; n: number; total: string }[]>(
            `select reason, count(*)::int as n, sum(delta) as total from ledger_entries where ref_id = ? group by reason`,
            [r.id],
          );
          const by = Object.fromEntries(rows.map((x) => [x.reason, x]));
          expect(by.bet?.n, 'one bet debit').to.equal(1);
          if (r.status === 'refunded') {
            expect(by.refund?.n, 'one refund').to.equal(1);
            expect(Number(by.refund.total)).to.equal(Number(r.bet));
            expect(by.win).to.equal(undefined);
          } else {
            expect(by.refund).to.equal(undefined);
            expect(by.win?.n ?? 0).to.equal(Number(r.payout) > 0 ? 1 : 0);
          }
        }
        const [voided] = await em().execute<{ status: string }[]>(`select status from crash_rounds order by started_at limit 1`);
        expect(['voided', 'crashed']).to.include(voided.status);
        // the killed process's sessions were closed by recovery, so their session-end hooks ran
        const sessions = await em().execute<{ status: string }[]>(`select status from game_sessions`);
        expect(sessions.map((s) => s.status)).to.deep.equal(Array(8).fill('recovered'));
        const [last] = await em().execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where status = 'refunded'`);
        expect(last.n, 'the riding bets of the killed round were refunded').to.be.greaterThan(0);
        const stats = await em().execute<{ sessions: number }[]>(`select sessions from game_stats where game = 'crash'`);
        expect(stats.map((s) => s.sessions)).to.deep.equal(Array(8).fill(1));
        expect((await findDrift(em())).drift).to.deep.equal([]);
        // the players' balances: each got back exactly what the ledger says
        for (const p of players) {
          const w = await second.http.get('/api/wallet', {
            token: (await second.http.post('/api/auth/login', { username: p.username, password: p.password })).body.access_token,
          });
          const [sum] = await em().execute<{ s: string }[]>(
            `select sum(delta) as s from ledger_entries where user_id = ? and currency = 'GOLD'`,
            [p.userId],
          );
          expect(w.body.balances.GOLD).to.equal(Number(sum.s));
        }
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await orm.close(true);
    }
  });
});

describe('restart recovery after SIGKILL while slot spins are committed in batches', function () {
  this.timeout(120_000);

  it('keeps every result a player was shown, leaves no round half-written, closes the sessions, and the ledger reconciles', async () => {
    const env = await processEnv('sigkill-slot', { INSTANCE_ID: 'sigkill-slot-test', ROOM_MESSAGES_PER_SECOND: '1000' });
    const first = await spawnServer(env);
    const shown: string[] = [];
    try {
      const players = [];
      for (let i = 0; i < 8; i++) players.push(await signup(first.http));
      const rooms = await Promise.all(players.map((p) => joinAs(first.url, p.access, 'slot')));
      // every player spins again as soon as a result arrives, so batches are being committed when the process dies
      for (const room of rooms) {
        room.onMessage('*', () => undefined);
        room.onMessage('spin_result', (m: { round_id: string; free_spins: Array<{ round_id: string }> }) => {
          shown.push(m.round_id, ...m.free_spins.map((f) => f.round_id));
          room.send('spin', { betPerLine: 1 });
        });
        room.send('spin', { betPerLine: 1 });
      }
      await eventually(
        () => shown.length,
        (n) => n >= 300,
        60_000,
      );
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }
    expect(shown.length).to.be.at.least(300);

    const orm = await MikroORM.init(ormOptions(env.DATABASE_URL, 2));
    const em = () => orm.em.fork() as EntityManager;
    try {
      const second = await spawnServer(env);
      try {
        expect((await second.http.get('/ready')).status).to.equal(200);
        const stored = await em().execute<{ id: string }[]>(`select id from game_rounds where id in (?)`, [shown]);
        expect(stored.length, 'every round whose result was sent is committed').to.equal(new Set(shown).size);
        const rounds = await em().execute<
          {
            id: string;
            status: string;
            bet: string;
            payout: string;
            bets: number;
            bet_total: string | null;
            wins: number;
            win_total: string | null;
          }[]
        >(`
          select r.id, r.status, r.bet, r.payout,
                 count(l.*) filter (where l.reason = 'bet')::int as bets, -sum(l.delta) filter (where l.reason = 'bet') as bet_total,
                 count(l.*) filter (where l.reason = 'win')::int as wins, sum(l.delta) filter (where l.reason = 'win') as win_total
            from game_rounds r left join ledger_entries l on l.ref_id = r.id::text
           where r.game = 'slot' group by r.id`);
        for (const r of rounds) {
          expect(r.status, r.id).to.equal('settled');
          expect([r.bets, Number(r.bet_total ?? 0)], `bet of ${r.id}`).to.deep.equal(Number(r.bet) > 0 ? [1, Number(r.bet)] : [0, 0]);
          expect([r.wins, Number(r.win_total ?? 0)], `win of ${r.id}`).to.deep.equal(Number(r.payout) > 0 ? [1, Number(r.payout)] : [0, 0]);
        }
        const orphans = await em().execute(
          `select id from ledger_entries l where ref_type = 'round' and not exists (select 1 from game_rounds r where r.id::text = l.ref_id)`,
        );
        expect(orphans, 'ledger rows of rounds that do not exist').to.deep.equal([]);
        const sessions = await em().execute<{ status: string; rounds: number }[]>(
          `select status, rounds from game_sessions where game = 'slot'`,
        );
        expect(sessions.map((s) => s.status)).to.deep.equal(Array(8).fill('recovered'));
        expect(
          sessions.reduce((a, s) => a + s.rounds, 0),
          'session totals count exactly the committed rounds',
        ).to.equal(rounds.length);
        expect((await findDrift(em())).drift).to.deep.equal([]);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await orm.close(true);
    }
  });
});
