import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { FaultProxy } from '../helpers/fault-proxy.ts';
import { assertLedgerConsistent, openSessions, waitNoOpenRounds, withDb } from '../helpers/fault-checks.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, endServerProcess } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * RPS duels across a PostgreSQL restart (FaultProxy cut for FAULT_OUTAGE_MS) in a real server process: the picks of
 * a duel whose stakes were escrowed before the cut are answered at once, the decided result (and a forfeit by a
 * player who never picks) is committed once the database is back, each stake exactly once, nothing left open.
 */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 3000);
const ROOM_BOUND_MS = 2500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RPS duels across a PostgreSQL restart under a server process', function () {
  this.timeout(60_000 + 2 * OUTAGE_MS);
  let proxy: FaultProxy;
  let server: ServerProcess;
  let directUrl: string;
  const rooms: Room[] = [];
  before(async () => {
    const env = await processEnv('pgrps', {
      INSTANCE_ID: 'pg-rps-fault',
      SIGNUP_BONUS_GOLD: '1000000',
      RPS_HOUSE_AFTER_MS: '60000',
      RPS_PICK_TIMEOUT_MS: String(Math.max(1500, OUTAGE_MS - 1000)),
    });
    directUrl = env.DATABASE_URL;
    proxy = await FaultProxy.start(directUrl);
    server = await spawnServer({ ...env, DATABASE_URL: proxy.rewrite(directUrl) });
  });
  after(async function () {
    this.timeout(30_000);
    await proxy?.restore();
    await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => undefined), sleep(2000)])));
    await endServerProcess(server);
    await proxy?.close();
  });

  /** Two players matched at `stake`, both in the picking phase. */
  async function duel(stake: number) {
    const [a, b] = await Promise.all([signup(server.http), signup(server.http)]);
    const ra = await joinAs(server.url, a.access, 'rps', { stake });
    const rb = await joinAs(server.url, b.access, 'rps', { stake });
    for (const r of [ra, rb]) {
      r.reconnection.enabled = false;
      rooms.push(r);
    }
    expect(rb.roomId, 'matched into one duel').to.equal(ra.roomId);
    const [ia, ib] = [new Inbox(ra), new Inbox(rb)];
    await eventually(
      () => (ra.state as any).phase,
      (p) => p === 'picking',
      10_000,
    );
    return { a, b, ra, rb, ia, ib };
  }

  it(`picks made during a ${OUTAGE_MS} ms outage are answered at once; the result and a forfeit are committed after it, once`, async () => {
    const played = await duel(40); // both pick during the outage
    const forfeit = await duel(60); // only one picks: the other forfeits when the pick time runs out
    const users = [played.a, played.b, forfeit.a, forfeit.b].map((u) => u.userId);
    await proxy.cut();
    const cutAt = Date.now();
    const answers: Array<{ who: string; type: string; ms: number }> = [];
    const pick = async (who: string, room: Room, inbox: Inbox, p: string) => {
      const sent = Date.now();
      room.send('pick', { pick: p });
      const type = await inbox
        .first(['pick_accepted', 'error'], () => true, 5000)
        .then((m) => (m.type === 'error' ? `error ${m.payload.code}` : 'pick_accepted'))
        .catch(() => 'no answer');
      answers.push({ who, type, ms: Date.now() - sent });
    };
    await Promise.all([
      pick('40/a', played.ra, played.ia, 'rock'),
      pick('40/b', played.rb, played.ib, 'paper'),
      pick('60/a', forfeit.ra, forfeit.ia, 'scissors'),
    ]);
    await sleep(Math.max(0, cutAt + OUTAGE_MS - Date.now()));
    const phases = [played.ra, forfeit.ra].map((r) => String((r.state as any).phase));
    expect(server.child.exitCode, server.output().slice(-3000)).to.equal(null);
    await proxy.restore();
    console.log(
      `      during the outage: ${answers.map((x) => `${x.who} ${x.type} in ${x.ms} ms`).join('; ')}; phases at the restore ${phases.join(',')}`,
    );
    for (const x of answers) {
      expect(x.ms, `${x.who} answered in ${x.ms} ms (${x.type})`).to.be.below(ROOM_BOUND_MS);
      expect(['pick_accepted', 'error service/unavailable'], x.who).to.include(x.type);
    }

    // the players hear how their duels ended once the result is committed
    const results = await Promise.all(
      [played.ia, played.ib, forfeit.ia, forfeit.ib].map((i) =>
        i
          .next('result', () => true, 20_000)
          .then(
            (r) => String(r.result),
            () => 'no result',
          ),
      ),
    );
    expect(results, 'results heard after the restore').to.not.include('no result');
    await withDb(directUrl, async (em) => {
      const open = await eventually(
        async () =>
          (
            await em().execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where status = 'open' and user_id in (?)`, [
              users,
            ])
          )[0].n,
        (n) => n === 0,
        25_000,
      );
      expect(open, 'stakes left open after the restore').to.equal(0);
      const rounds = await em().execute<{ user_id: string; status: string; bet: string; payout: string }[]>(
        `select user_id, status, bet, payout from game_rounds where user_id in (?)`,
        [users],
      );
      expect(rounds, 'one round per player').to.have.length(4);
      console.log(`      after the restore: ${rounds.map((r) => `${r.status} ${r.bet}->${r.payout}`).join(', ')}`);
    });
  });

  it('leaves no round or session open once the players are gone, and the ledger reconciles', async () => {
    await Promise.all(rooms.map((r) => Promise.race([r.leave().catch(() => undefined), sleep(2000)])));
    await withDb(directUrl, async (em) => {
      expect(await waitNoOpenRounds(em, 20_000)).to.equal(0);
      expect(
        await eventually(
          () => openSessions(em()),
          (n) => n === 0,
          10_000,
        ),
        'sessions left open',
      ).to.equal(0);
      await assertLedgerConsistent(em);
    });
  });
});
