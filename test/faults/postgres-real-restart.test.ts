import { expect } from 'chai';
import { CrashBot, SlotBot, stopAll } from '../helpers/bots.ts';
import { assertLedgerConsistent, openSessions, waitNoOpenRounds, withDb } from '../helpers/fault-checks.ts';
import { PgCluster } from '../helpers/pg-cluster.ts';
import { eventually } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, endServerProcess } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * A real PostgreSQL stop (`pg_ctl stop -m fast`: sessions get 57P01 and close, new ones are refused) and start
 * (`57P03` while it comes up) under a game process on a cluster of the test's own, with bots playing slot and crash:
 * the process stays up, says so on /ready, answers `service/unavailable`, and carries on after the start without a
 * restart; nothing is left open and the ledger reconciles. The proxy-based tests cover the timing cases; this one
 * covers PostgreSQL's own shutdown and start-up answers.
 */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 3000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL really stopped and started under a server process', function () {
  this.timeout(90_000 + OUTAGE_MS);
  let pg: PgCluster;
  let server: ServerProcess;
  let slots: SlotBot[] = [];
  let crashes: CrashBot[] = [];
  let watcher: { access: string };

  before(async function () {
    if (!PgCluster.available()) this.skip();
    pg = await PgCluster.create();
    server = await spawnServer(
      await processEnv('pgreal', {
        DATABASE_URL: pg.url,
        INSTANCE_ID: 'pg-real-restart',
        CRASH_BETTING_MS: '1000',
        CRASH_PAUSE_MS: '300',
        CRASH_TIME_SCALE: '3',
        ROOM_MESSAGES_PER_SECOND: '1000',
      }),
    );
    const players = await Promise.all(Array.from({ length: 6 }, () => signup(server.http)));
    watcher = players[5];
    slots = await Promise.all(players.slice(0, 3).map((p) => SlotBot.join(server.url, p.access)));
    crashes = await Promise.all(
      players.slice(3).map((p, i) => CrashBot.join(server.url, p.access, { amount: 3 + i, autoCashout: i === 0 ? 130 : null })),
    );
  });
  after(async function () {
    this.timeout(30_000);
    for (const b of [...slots, ...crashes]) b.halt();
    await endServerProcess(server, 0);
    pg?.remove();
  });

  it(`stays up through a ${OUTAGE_MS} ms stop, answers service/unavailable meanwhile, and plays on after the start`, async () => {
    const spins = () => slots.reduce((n, b) => n + b.count('spin_result'), 0);
    const bets = () => crashes.reduce((n, b) => n + b.count('bet_placed'), 0);
    await eventually(
      () => spins() >= 20 && bets() >= 2,
      (ok) => ok,
      20_000,
    );
    pg.stop();
    const stoppedAt = Date.now();
    const ready = await server.http.get('/ready');
    expect(ready.status).to.equal(503);
    expect(ready.body.checks.postgres).to.equal('down');
    const wallet = await server.http.get('/api/wallet', { token: watcher.access });
    expect(wallet.status, 'an HTTP read while PostgreSQL is down').to.equal(503);
    expect(wallet.body.error).to.equal('service/unavailable');
    await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    const unavailable = slots.reduce((n, b) => n + (b.errors.get('service/unavailable') ?? 0), 0);
    expect(unavailable, 'spins answered service/unavailable during the stop').to.be.greaterThan(0);
    const internal = [...slots, ...crashes].reduce((n, b) => n + (b.errors.get('internal/error') ?? 0), 0);
    expect(internal, 'internal errors sent to players').to.equal(0);
    pg.start();
    const [s0, b0] = [spins(), bets()];
    expect(
      (
        await eventually(
          () => server.http.get('/ready'),
          (r) => r.status === 200,
          20_000,
        )
      ).status,
    ).to.equal(200);
    await eventually(
      () => spins() - s0 >= 5 && bets() - b0 >= 1,
      (ok) => ok,
      30_000,
    );
    expect(spins() - s0, 'spins after the start').to.be.at.least(5);
    expect(bets() - b0, 'crash bets after the start').to.be.at.least(1);
    expect(server.child.exitCode, server.output().slice(-2000)).to.equal(null);
    expect(server.child.signalCode).to.equal(null);

    await stopAll([...slots, ...crashes]);
    await withDb(pg.url, async (em) => {
      expect(await waitNoOpenRounds(em), 'rounds left open').to.equal(0);
      expect(
        await eventually(
          () => openSessions(em()),
          (n) => n === 0,
          20_000,
        ),
        'sessions left open',
      ).to.equal(0);
      await assertLedgerConsistent(em);
    });
  });
});
