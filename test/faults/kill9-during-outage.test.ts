import { expect } from 'chai';
import { CrashBot, SlotBot } from '../helpers/bots.ts';
import { FaultProxy } from '../helpers/fault-proxy.ts';
import { assertLedgerConsistent, openRounds, openSessions, withDb } from '../helpers/fault-checks.ts';
import { eventually } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, endServerProcess } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * The two faults together: PostgreSQL goes away (FaultProxy cut) while bots play slot and crash, the rooms hold
 * decided settlements in memory and retry them, and then the process is killed with SIGKILL before the database is
 * back, so those retries die with it. PostgreSQL returns, the process restarts with the same INSTANCE_ID: every
 * bet is settled (when its outcome was committed) or refunded, exactly once; nothing is left open; reconcile clean.
 */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 3000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 of a server process during a PostgreSQL outage, restarted after it', function () {
  this.timeout(90_000 + OUTAGE_MS);
  let proxy: FaultProxy | undefined;
  let server: ServerProcess | undefined;
  after(async () => {
    await proxy?.restore();
    await endServerProcess(server, 0);
    await proxy?.close();
  });

  it('settles or refunds every bet exactly once, voids the crash round, and the ledger reconciles', async () => {
    const env = await processEnv('kill9outage', {
      INSTANCE_ID: 'kill9-outage-fault',
      SIGNUP_BONUS_GOLD: '1000000',
      CRASH_BETTING_MS: '1000',
      CRASH_PAUSE_MS: '300',
      CRASH_TIME_SCALE: '2',
      ROOM_MESSAGES_PER_SECOND: '1000',
    });
    const directUrl = env.DATABASE_URL;
    proxy = await FaultProxy.start(directUrl);
    const proxied = { ...env, DATABASE_URL: proxy.rewrite(directUrl) };
    server = await spawnServer(proxied);
    const players = [];
    for (let i = 0; i < 6; i++) players.push(await signup(server.http));
    const slots = await Promise.all(players.slice(0, 2).map((p) => SlotBot.join(server!.url, p.access, { pauseMs: 20 })));
    const crashes = await Promise.all(
      players.slice(2).map((p, i) =>
        CrashBot.join(server!.url, p.access, {
          amount: 5 + i,
          autoCashout: i === 0 ? 105 : null,
          cashoutAt: i === 1 ? 110 : null,
        }),
      ),
    );

    // a round running with this round's bets, cut right after it started: its cash-outs and crash are decided
    // in memory while the database is away
    const st = await eventually(
      () => crashes[0].state,
      (x) =>
        x?.phase === 'running' &&
        x.bets.size >= 3 &&
        Date.now() - x.runningSince < 300 &&
        slots.reduce((n, b) => n + b.count('spin_result'), 0) >= 20,
      40_000,
    );
    expect(st.phase).to.equal('running');
    const roundId = String(st.roundId);
    await proxy.cut();
    await sleep(Math.min(OUTAGE_MS, 2500));
    const phaseAtKill = String(crashes[0].state.phase);
    const told = crashes.flatMap((b) => b.cashedOut);
    for (const b of [...slots, ...crashes]) b.halt();
    server.child.kill('SIGKILL');
    await server.exited;
    await sleep(Math.max(0, OUTAGE_MS - 2500));
    await proxy.restore();

    const before = await withDb(directUrl, async (em) => ({
      open: await em().execute<{ id: string; group_id: string | null; outcome: unknown }[]>(
        `select id, group_id, outcome from game_rounds where status = 'open'`,
      ),
      rows: (await em().execute<{ n: number }[]>('select count(*)::int as n from ledger_entries'))[0].n,
      crash: (await em().execute<{ status: string }[]>('select status from crash_rounds where id = ?', [roundId]))[0]?.status,
    }));

    server = await spawnServer(proxied);
    expect((await server.http.get('/ready')).status).to.equal(200);
    await withDb(directUrl, async (em) => {
      expect(await openRounds(em()), 'rounds left open after the restart').to.equal(0);
      expect(await openSessions(em()), 'sessions left open after the restart').to.equal(0);
      const [round] = await em().execute<{ status: string }[]>('select status from crash_rounds where id = ?', [roundId]);
      expect(['voided', 'crashed'], `crash round ${roundId} (was ${before.crash} in the database at the kill)`).to.include(round.status);
      for (const c of told) {
        const [r] = await em().execute<{ status: string; payout: string }[]>('select status, payout from game_rounds where id = ?', [
          c.round_id,
        ]);
        expect([r.status, Number(r.payout)], `a cash-out the player was told about (${c.round_id})`).to.deep.equal(['settled', c.payout]);
      }
      const summary = await assertLedgerConsistent(em);
      const recovered =
        before.open.length === 0
          ? 0
          : (
              await em().execute<{ n: number }[]>(
                `select count(*)::int as n from game_rounds where id in (?) and (status = 'refunded' or payout > 0)`,
                [before.open.map((r) => r.id)],
              )
            )[0].n;
      const rows = (await em().execute<{ n: number }[]>('select count(*)::int as n from ledger_entries'))[0].n;
      expect(rows - before.rows, 'one refund or win per round left open, nothing else').to.equal(recovered);
      console.log(
        `      killed ${OUTAGE_MS} ms outage in, crash round ${phaseAtKill} in memory and ${before.crash} in the database; ${before.open.length} rounds open at the kill ` +
          `(${before.open.filter((r) => r.group_id === roundId).length} of that round), ${told.length} cash-outs told; after the restart ${summary.settled} settled, ${summary.refunded} refunded, crash round ${round.status}`,
      );
    });

    // the restarted process plays
    const again = await SlotBot.join(server.url, players[0].access);
    await eventually(
      () => again.count('spin_result'),
      (n) => n >= 3,
      10_000,
    );
    expect(again.count('spin_result')).to.be.at.least(3);
    await again.stop();
    server.child.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    await withDb(directUrl, (em) => assertLedgerConsistent(em));
  });
});
