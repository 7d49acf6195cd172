import { expect } from 'chai';
import { CrashBot, SlotBot, stopAll } from '../helpers/bots.ts';
import { assertLedgerConsistent, openRounds, openSessions, waitNoOpenRounds, withDb } from '../helpers/fault-checks.ts';
import { eventually } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, endServerProcess } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * kill -9 of a real server process (server/main.ts) while bots play slot and crash through real WebSockets: the
 * process dies mid crash round (bets placed, round running, some riding) and mid slot spinning (batches being
 * committed). Restarted with the same INSTANCE_ID and database, it settles or refunds every bet exactly once,
 * voids the killed crash round, keeps every slot result a player was shown, and the ledger reconciles.
 * FAULT_KILLS (default 2) sets how many kill/restart cycles run.
 */
const KILLS = Number(process.env.FAULT_KILLS ?? 2);
const SLOT_BOTS = 4;
const CRASH_BOTS = 4;

describe('kill -9 of a server process with bots playing slot and crash', function () {
  this.timeout(60_000 + KILLS * 30_000);
  let server: ServerProcess | undefined;
  after(async () => {
    await endServerProcess(server, 0);
  });

  it('settles or refunds every bet exactly once after each restart with the same INSTANCE_ID; no round left open, no negative balance, reconcile clean', async () => {
    const env = await processEnv('kill9', {
      INSTANCE_ID: 'kill9-fault',
      SIGNUP_BONUS_GOLD: '1000000',
      CRASH_BETTING_MS: '1200',
      CRASH_PAUSE_MS: '300',
      ROOM_MESSAGES_PER_SECOND: '1000',
    });
    server = await spawnServer(env);
    const players = [];
    for (let i = 0; i < SLOT_BOTS + CRASH_BOTS; i++) players.push(await signup(server.http));
    const slotPlayers = players.slice(0, SLOT_BOTS);
    const crashPlayers = players.slice(SLOT_BOTS);
    const shown: string[] = [];
    const log: string[] = [];

    /** Bots on the current process: slot spinners, and crash bettors riding, auto-cashing at 1.2x, cashing by hand at 1.5x. */
    const joinBots = async (s: ServerProcess) => {
      const slots = await Promise.all(slotPlayers.map((p) => SlotBot.join(s.url, p.access, { pauseMs: 10 })));
      const crashes = await Promise.all(
        crashPlayers.map((p, i) =>
          CrashBot.join(s.url, p.access, {
            amount: 5 + i,
            autoCashout: i % 3 === 1 ? 120 : null,
            cashoutAt: i % 3 === 2 ? 150 : null,
          }),
        ),
      );
      return { slots, crashes };
    };

    for (let kill = 1; kill <= KILLS; kill++) {
      const { slots, crashes } = await joinBots(server);
      const results = () => slots.reduce((n, b) => n + b.count('spin_result'), 0);
      const startResults = 0;
      // wait for a crash round running with bets still riding (best: one already cashed out beside them), while the
      // slot bots keep spinning
      const t0 = Date.now();
      const moment = (mixed: boolean) => {
        const st = crashes[0].state;
        if (st?.phase !== 'running' || Date.now() - st.runningSince < 150 || results() < 40) return false;
        const statuses = [...st.bets.values()].map((b: { status: string }) => b.status);
        return statuses.includes('riding') && (!mixed || statuses.includes('cashed_out'));
      };
      let ready = await eventually(
        () => moment(true),
        (ok) => ok,
        12_000,
      );
      if (!ready)
        ready = await eventually(
          () => moment(false),
          (ok) => ok,
          30_000,
        );
      expect(ready, `a running crash round with bets riding (slot results: ${results()})`).to.equal(true);
      const statuses = [...crashes[0].state.bets.values()].map((b: { status: string }) => b.status).join(',');
      const crashRoundId = String(crashes[0].state.roundId);
      for (const b of [...slots, ...crashes]) b.halt();
      server.child.kill('SIGKILL');
      await server.exited;
      for (const b of slots) shown.push(...b.shown);
      const betsPlaced = crashes.reduce((n, b) => n + b.count('bet_placed'), 0);
      const told = crashes.flatMap((b) => b.cashedOut);
      log.push(
        `kill ${kill} after ${Date.now() - t0} ms: ${results()} slot results, ${betsPlaced} crash bets placed, crash round ${crashRoundId} running with bets ${statuses}`,
      );

      const before = await withDb(env.DATABASE_URL, async (em) => ({
        open: await openRounds(em()),
        openIds: await em().execute<{ id: string; group_id: string }[]>(`select id, group_id from game_rounds where status = 'open'`),
        sessions: await openSessions(em()),
        rows: (await em().execute<{ n: number }[]>(`select count(*)::int as n from ledger_entries`))[0].n,
      }));
      expect(before.open, 'bets riding when the process died').to.be.greaterThan(0);
      expect(before.sessions, 'sessions of the killed process').to.equal(SLOT_BOTS + CRASH_BOTS);

      server = await spawnServer(env);
      expect((await server.http.get('/ready')).status).to.equal(200);
      await withDb(env.DATABASE_URL, async (em) => {
        // recovery ran at start-up, before the first player: nothing is open any more
        expect(await openRounds(em()), 'rounds left open after the restart').to.equal(0);
        expect(await openSessions(em()), 'sessions left open after the restart').to.equal(0);
        const [killed] = await em().execute<{ status: string; owner: string }[]>(`select status, owner from crash_rounds where id = ?`, [
          crashRoundId,
        ]);
        expect(killed?.status, 'the crash round running at the kill').to.equal('voided');
        const [riding] = await em().execute<{ settled: number; refunded: number; open: number }[]>(
          `
          select count(*) filter (where status = 'settled')::int as settled, count(*) filter (where status = 'refunded')::int as refunded,
                 count(*) filter (where status = 'open')::int as open
            from game_rounds where group_id = ?`,
          [crashRoundId],
        );
        expect(riding.open).to.equal(0);
        expect(
          before.openIds.map((r) => r.group_id),
          "the rounds left open are the killed crash round's bets",
        ).to.deep.equal(before.openIds.map(() => crashRoundId));
        expect(riding.refunded, 'the riding bets of the killed round were refunded').to.equal(before.openIds.length);
        // a cash-out a player was told about is paid, exactly as told (recovery never refunds it instead)
        for (const c of told) {
          const [r] = await em().execute<{ status: string; payout: string }[]>(`select status, payout from game_rounds where id = ?`, [
            c.round_id,
          ]);
          expect([r?.status, Number(r?.payout)], `cash-out of ${c.round_id} at ${c.multiplier}`).to.deep.equal(['settled', c.payout]);
        }
        const stored = await em().execute<{ id: string }[]>(`select id from game_rounds where id in (?)`, [shown]);
        expect(stored.length, 'every slot round whose result was shown is committed').to.equal(new Set(shown).size);
        const summary = await assertLedgerConsistent(em);
        const rows = (await em().execute<{ n: number }[]>(`select count(*)::int as n from ledger_entries`))[0].n;
        const [recovered] = await em().execute<{ n: number }[]>(
          `
          select count(*)::int as n from game_rounds where id in (?) and (status = 'refunded' or payout > 0)`,
          [before.openIds.map((r) => r.id)],
        );
        expect(rows - before.rows, 'one refund or win row per round left open, nothing else').to.equal(recovered.n);
        log.push(
          `  restart ${kill}: refunded ${before.open} riding bets (${told.length} cash-outs told so far), ${summary.rounds} rounds (${JSON.stringify(summary.byGame)}) consistent`,
        );
      });
    }

    // play resumes on the last process; once the players are gone nothing is open and the ledger reconciles
    const { slots, crashes } = await joinBots(server);
    await eventually(
      () => crashes.reduce((n, b) => n + b.count('bet_placed'), 0) + slots.reduce((n, b) => n + b.count('spin_result'), 0),
      (n) => n >= 20,
      20_000,
    );
    await stopAll([...slots, ...crashes]);
    await withDb(env.DATABASE_URL, async (em) => {
      expect(await waitNoOpenRounds(em, 20_000), 'rounds left open after the players left').to.equal(0);
      expect(
        await eventually(
          () => openSessions(em()),
          (n) => n === 0,
        ),
        'sessions left open after the players left',
      ).to.equal(0);
      server!.child.kill('SIGTERM');
      expect(await server!.exited, server!.output().slice(-2000)).to.equal(0);
      const summary = await assertLedgerConsistent(em);
      expect(summary.byGame.slot).to.be.greaterThan(0);
      expect(summary.byGame.crash).to.be.greaterThan(0);
      log.push(`final: ${summary.rounds} rounds, ${summary.settled} settled, ${summary.refunded} refunded`);
    });
    console.log(log.map((l) => `      ${l}`).join('\n'));
  });
});
