import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { assertLedgerConsistent, openRounds, openSessions, waitNoOpenRounds, withDb } from '../helpers/fault-checks.ts';
import { eventually, joinAs } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, endServerProcess } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * kill -9 of a server process while RPS duels are under way (stakes escrowed, picks in, settlements being committed):
 * pairs of bots duel each other at a shared stake, lone bots duel the house. Restarted with the same INSTANCE_ID,
 * the process refunds or settles every stake exactly once; nothing is left open; the ledger reconciles.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Joins a duel at `stake`, picks as soon as picks open, waits for the result, leaves, and again, until stopped. */
class RpsBot {
  duels = 0;
  results = 0;
  errors: string[] = [];
  room?: Room;
  /** what the bot is doing (for a report when it is stuck) */
  doing = 'starting';
  since = Date.now();
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly stake: number,
    private readonly pickDelayMs = 800,
  ) {
    this.done = this.loop();
  }

  get phase(): string {
    return String((this.room?.state as any)?.phase ?? '');
  }

  private async loop() {
    while (this.running) {
      try {
        this.at('joining');
        const room = await joinAs(this.url, this.token, 'rps', { stake: this.stake });
        this.at(`joined ${room.roomId}`);
        room.reconnection.enabled = false;
        this.room = room;
        this.duels++;
        let left = false;
        let result = false;
        room.onLeave(() => {
          left = true;
        });
        room.onMessage('*', (type: string | number, payload: any) => {
          if (type === 'result') result = true;
          if (type === 'error') this.errors.push(String(payload?.code));
        });
        await eventually(
          () => this.phase === 'picking' || left || !this.running,
          (ok) => ok,
          10_000,
        );
        this.at(`phase ${this.phase}`);
        await sleep(this.pickDelayMs); // the stakes stay escrowed (open) meanwhile: a kill lands on open duels
        if (this.phase === 'picking' && this.running) room.send('pick', { pick: ['rock', 'paper', 'scissors'][this.duels % 3] });
        await eventually(
          () => result || left || !this.running,
          (ok) => ok,
          10_000,
        );
        if (result) this.results++;
        this.at(`leaving ${room.roomId} (result ${result}, left ${left})`);
        if (!left && this.running) await room.leave().catch(() => undefined);
      } catch (err) {
        if (this.running) {
          this.errors.push((err as Error).message.slice(0, 80));
          await sleep(200);
        }
      }
    }
  }

  private at(what: string) {
    this.doing = what;
    this.since = Date.now();
  }

  halt() {
    this.running = false;
  }

  /** Stops; a bot whose loop is still stuck after `waitMs` is reported instead of awaited. */
  async stop(waitMs = 12_000): Promise<string | null> {
    this.running = false;
    const stuck = await Promise.race([
      this.done.then(() => null),
      sleep(waitMs).then(() => `stake ${this.stake}: ${this.doing} for ${Date.now() - this.since} ms`),
    ]);
    if (this.room) await Promise.race([this.room.leave().catch(() => undefined), sleep(2000)]);
    return stuck;
  }
}

describe('kill -9 of a server process with RPS duels under way', function () {
  this.timeout(90_000);
  let server: ServerProcess | undefined;
  after(async () => {
    await endServerProcess(server, 0);
  });

  it('refunds or settles every stake exactly once after a restart with the same INSTANCE_ID; nothing left open; reconcile clean', async () => {
    const env = await processEnv('kill9rps', {
      INSTANCE_ID: 'kill9-rps-fault',
      SIGNUP_BONUS_GOLD: '1000000',
      RPS_HOUSE_AFTER_MS: '400',
      RPS_PICK_TIMEOUT_MS: '3000',
      ROOM_MESSAGES_PER_SECOND: '1000',
    });
    server = await spawnServer(env);
    const players: Array<Awaited<ReturnType<typeof signup>>> = [];
    for (let i = 0; i < 6; i++) players.push(await signup(server.http));
    // two pairs share a stake (human duels), two play the house
    const stakes = [50, 50, 70, 70, 31, 37];
    const start = (s: ServerProcess) => players.map((p, i) => new RpsBot(s.url, p.access, stakes[i]));
    let bots = start(server);
    const log: string[] = [];
    const t0 = Date.now();
    const step = (what: string) => {
      if (process.env.FAULT_VERBOSE) console.log(`      [${Date.now() - t0} ms] ${what}`);
    };

    // kill while duels are open in the database (stakes escrowed, results not committed)
    const open = await withDb(env.DATABASE_URL, (em) =>
      eventually(
        async () => {
          if (bots.reduce((n, b) => n + b.results, 0) < 6) return 0;
          return openRounds(em());
        },
        (n) => n >= 2,
        40_000,
      ),
    );
    expect(
      open,
      `open duel stakes to kill on (results so far ${bots.reduce((n, b) => n + b.results, 0)}, errors ${bots
        .flatMap((b) => b.errors)
        .slice(0, 5)
        .join(', ')})`,
    ).to.be.at.least(2);
    step(`open ${open}`);
    const phases = bots.map((b) => b.phase).join(',');
    for (const b of bots) b.halt();
    server.child.kill('SIGKILL');
    await server.exited;
    const before = await withDb(env.DATABASE_URL, async (em) => ({
      open: await em().execute<{ id: string }[]>(`select id from game_rounds where status = 'open'`),
      rows: (await em().execute<{ n: number }[]>('select count(*)::int as n from ledger_entries'))[0].n,
    }));
    expect(before.open.length, 'stakes open when the process died').to.be.greaterThan(0);
    log.push(
      `killed with ${before.open.length} stakes open (bot phases ${phases}; ${bots.reduce((n, b) => n + b.results, 0)} duels finished)`,
    );

    step('restarting');
    server = await spawnServer(env);
    expect((await server.http.get('/ready')).status).to.equal(200);
    step('restarted');
    await withDb(env.DATABASE_URL, async (em) => {
      expect(await openRounds(em()), 'stakes left open after the restart').to.equal(0);
      expect(await openSessions(em()), 'sessions left open after the restart').to.equal(0);
      const summary = await assertLedgerConsistent(em);
      const [recovered] =
        before.open.length === 0
          ? [{ n: 0 }]
          : await em().execute<{ n: number }[]>(
              `select count(*)::int as n from game_rounds where id in (?) and (status = 'refunded' or payout > 0)`,
              [before.open.map((r) => r.id)],
            );
      const rows = (await em().execute<{ n: number }[]>('select count(*)::int as n from ledger_entries'))[0].n;
      expect(rows - before.rows, 'one refund or win per stake left open, nothing else').to.equal(recovered.n);
      log.push(`restart: ${summary.rounds} rps rounds consistent, ${summary.refunded} refunded, ${summary.settled} settled`);
    });

    // duels go on on the restarted process; once the players are gone nothing is open
    bots = start(server);
    await eventually(
      () => bots.reduce((n, b) => n + b.results, 0),
      (n) => n >= 6,
      30_000,
    );
    step(
      `played again: ${bots.reduce((n, b) => n + b.results, 0)} results, errors ${bots
        .flatMap((b) => b.errors)
        .slice(0, 8)
        .join(', ')}`,
    );
    const stuck = (await Promise.all(bots.map((b) => b.stop()))).filter(Boolean);
    step(`bots stopped; stuck: ${stuck.join('; ')}`);
    expect(stuck, 'bots whose join, pick or leave never completed').to.deep.equal([]);
    await withDb(env.DATABASE_URL, async (em) => {
      expect(await waitNoOpenRounds(em, 20_000), 'stakes left open after the players left').to.equal(0);
      expect(
        await eventually(
          () => openSessions(em()),
          (n) => n === 0,
          10_000,
        ),
        'sessions left open',
      ).to.equal(0);
      const summary = await assertLedgerConsistent(em);
      log.push(`final: ${summary.rounds} rounds, ${summary.settled} settled, ${summary.refunded} refunded`);
    });
    step('checked; SIGTERM');
    server.child.kill('SIGTERM');
    expect(await server.exited, server.output().slice(-3000)).to.equal(0);
    console.log(log.map((l) => `      ${l}`).join('\n'));
  });
});
