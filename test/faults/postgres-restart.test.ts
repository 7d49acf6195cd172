import { expect } from 'chai';
import { CrashBot, SlotBot, stopAll, total } from '../helpers/bots.ts';
import { FaultProxy } from '../helpers/fault-proxy.ts';
import { assertLedgerConsistent, endFaultRun, openSessions, waitNoOpenRounds, withDb } from '../helpers/fault-checks.ts';
import { AUTHENTICATED_GETS, probeUntil, summarize, timedRequest, type Probe } from '../helpers/http-probe.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess, running } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

/**
 * A PostgreSQL restart under a running server process, as the process sees it: its DATABASE_URL goes through a
 * FaultProxy in the test process, which resets every connection and refuses new ones for FAULT_OUTAGE_MS (3 s
 * here, 10 s for the long run), then accepts again. Bots play slot and crash meanwhile. The process must stay up,
 * say so on /ready, answer room messages `service/unavailable` at once and HTTP requests 200 or 503 quickly, and
 * carry on after the restore without a restart, with no round left open and the ledger reconciling.
 */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_MS ?? 3000);
/** The longest an HTTP request may take during the outage ("never hangs past ~3 s"). */
const ANSWER_BOUND_MS = 3000;
/** The longest a room message may wait for its answer during the outage ("service/unavailable within a couple of seconds"). */
const ROOM_BOUND_MS = 2500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL restart under a server process with bots playing', function () {
  this.timeout(60_000 + 3 * OUTAGE_MS);
  let proxy: FaultProxy;
  let server: ServerProcess;
  let directUrl: string;
  let slots: SlotBot[] = [];
  let crashes: CrashBot[] = [];
  let watcher: Awaited<ReturnType<typeof signup>>;
  const log: string[] = [];

  before(async () => {
    const env = await processEnv('pgrestart', {
      INSTANCE_ID: 'pg-restart-fault',
      CRASH_BETTING_MS: '1000',
      CRASH_PAUSE_MS: '300',
      CRASH_TIME_SCALE: '3',
      ROOM_MESSAGES_PER_SECOND: '1000',
    });
    directUrl = env.DATABASE_URL;
    proxy = await FaultProxy.start(directUrl);
    server = await spawnServer({ ...env, DATABASE_URL: proxy.rewrite(directUrl) });
    const players = [];
    for (let i = 0; i < 7; i++) players.push(await signup(server.http));
    watcher = players.pop()!;
    slots = await Promise.all(players.slice(0, 3).map((p) => SlotBot.join(server.url, p.access, { pauseMs: 50 })));
    crashes = await Promise.all(
      players
        .slice(3)
        .map((p, i) =>
          CrashBot.join(server.url, p.access, { amount: 3 + i, autoCashout: i === 1 ? 130 : null, cashoutAt: i === 2 ? 115 : null }),
        ),
    );
  });
  after(async function () {
    this.timeout(30_000);
    await endFaultRun({ bots: [...slots, ...crashes], proxy, server, log });
  });

  const slotResults = () => total(slots, 'spin_result');
  const betsPlaced = () => total(crashes, 'bet_placed');
  const alive = () => running(server);

  /**
   * Samples every 100 ms how long the bots' requests in flight have waited. Slot spins and crash bets count against
   * the bound; crash cash-outs are only logged here (they are checked on their own, see the cash-out test below).
   */
  function watchPending() {
    let worst = { ms: 0, what: '' };
    const cashouts = new Map<object, number>();
    const t = setInterval(() => {
      for (const b of [...slots, ...crashes]) {
        const ms = b.pendingFor();
        if (b.pendingType === 'cashout') {
          if (ms >= ROOM_BOUND_MS) cashouts.set(b, Math.max(ms, cashouts.get(b) ?? 0));
          continue;
        }
        if (ms > worst.ms) worst = { ms, what: b.pending() };
      }
    }, 100);
    return {
      stop: () => {
        clearInterval(t);
        return { worst, cashouts: [...cashouts.values()].map((ms) => `a bot's cash-out waited ${ms} ms`) };
      },
    };
  }

  /** Play resumes after the restore: new spin results and crash bets, /ready 200, the same process. */
  async function resumes(label: string, restoredAt: number) {
    const [s0, b0] = [slotResults(), betsPlaced()];
    const ready = await eventually(
      () => server.http.get('/ready'),
      (r) => r.status === 200,
      15_000,
    );
    expect(ready.status, `/ready after the restore: ${JSON.stringify(ready.body)}`).to.equal(200);
    await eventually(
      () => slotResults() - s0,
      (n) => n >= 5,
      20_000,
    );
    const slotMs = Date.now() - restoredAt;
    await eventually(
      () => betsPlaced() - b0,
      (n) => n >= 1,
      20_000,
    );
    const crashMs = Date.now() - restoredAt;
    expect(slotResults() - s0, 'slot spins after the restore').to.be.at.least(5);
    expect(betsPlaced() - b0, 'crash bets after the restore').to.be.at.least(1);
    expect(alive(), 'the same process serves').to.equal(true);
    log.push(`${label}: /ready 200, 5 spins ${slotMs} ms and a crash bet ${crashMs} ms after the restore`);
  }

  it(`keeps the process up through a ${OUTAGE_MS} ms outage mid-play: /ready 503 postgres down, spins answered service/unavailable at once, GETs 200 or 503 quickly; play resumes after`, async () => {
    await eventually(
      () => slotResults() >= 20 && betsPlaced() >= 3,
      (ok) => ok,
      20_000,
    );
    const pid = server.child.pid;
    const pending = watchPending();
    await proxy.cut();
    const cutAt = Date.now();
    const until = cutAt + OUTAGE_MS;
    const [ready, probes] = await Promise.all([
      (async () => {
        await sleep(300);
        return timedRequest(server.url, '/ready');
      })(),
      probeUntil(server.url, watcher.access, AUTHENTICATED_GETS, until - 200),
    ]);
    await sleep(Math.max(0, until - Date.now()));
    const { worst, cashouts } = pending.stop();
    const during = slots.flatMap((b) => b.answersBetween(cutAt + 100, Date.now()));
    const crashDuring = crashes.flatMap((b) => b.answersBetween(cutAt + 100, Date.now()));
    await proxy.restore();
    const restoredAt = Date.now();
    log.push(
      `outage 1 (${OUTAGE_MS} ms, mid-play): /ready ${ready.status} ${ready.ms} ms; longest wait ${worst.ms} ms${cashouts.length ? ` (cash-outs unanswered past the bound: ${cashouts.join('; ')})` : ''}; ${during.length} spin answers (max ${Math.max(0, ...during.map((a) => a.ms))} ms, codes ${[...new Set(during.map((a) => a.code ?? a.type))].join(',')}); ` +
        `${crashDuring.length} crash answers (${[...new Set(crashDuring.map((a) => a.code ?? a.type))].join(',')}); ${probes.length} GETs: ${summarize(probes)}`,
    );

    expect(server.child.pid).to.equal(pid);
    expect(alive(), `the process survived the outage:\n${server.output().slice(-3000)}`).to.equal(true);
    expect(ready.status).to.equal(503);
    expect(ready.ms, '/ready answered within its probe timeout').to.be.below(ANSWER_BOUND_MS);
    expect(worst.ms, `no spin or bet waiting longer than the bound: ${worst.what}`).to.be.below(ROOM_BOUND_MS);
    expect(during.length, 'spins answered during the outage').to.be.greaterThan(0);
    for (const a of during) {
      expect(a.ms, `spin answered in ${a.ms} ms`).to.be.below(ROOM_BOUND_MS);
      expect(a.type === 'error' ? a.code : a.type, 'spin answer during the outage').to.equal('service/unavailable');
    }
    for (const a of crashDuring) {
      if (a.type !== 'cashed_out') expect(a.ms, `crash message answered in ${a.ms} ms (${a.code ?? a.type})`).to.be.below(ROOM_BOUND_MS);
      if (a.type === 'error') expect(['service/unavailable', 'game/not_allowed', 'game/too_late'], a.code).to.include(a.code);
    }
    checkProbes(probes);
    await resumes('outage 1', restoredAt);
  });

  it('/ready names PostgreSQL as down during an outage', async () => {
    await proxy.cut();
    try {
      const ready = await timedRequest(server.url, '/ready');
      const body = await fetch(`${server.url}/ready`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.json() as Promise<{ checks: Record<string, string>; error: string }>,
      );
      expect(ready.status).to.equal(503);
      expect(body.checks).to.deep.equal({ postgres: 'down', redis: 'ok' });
      expect(body.error).to.equal('service/unavailable');
    } finally {
      await proxy.restore();
    }
    await eventually(
      () => server.http.get('/ready'),
      (r) => r.status === 200,
      10_000,
    );
  });

  it(`a ${OUTAGE_MS} ms outage starting right as a crash round's betting closes: the round runs, settles after the restore, and the table carries on`, async () => {
    // a betting window with this round's bets placed, far enough from its end to aim at it
    const st = await eventually(
      () => crashes[0].state,
      (x) => x?.phase === 'betting' && x.bets.size >= 2 && x.bettingEndsAt - Date.now() > 150,
      30_000,
    );
    expect(st.phase).to.equal('betting');
    const roundId = String(st.roundId);
    await sleep(Math.max(0, st.bettingEndsAt - Date.now() - 50));
    const pending = watchPending();
    await proxy.cut();
    const cutAt = Date.now();
    const phase = await eventually(
      () => String(crashes[0].state.phase),
      (p) => p !== 'betting',
      5000,
    );
    const probes = await probeUntil(
      server.url,
      watcher.access,
      ['/api/wallet', '/api/auth/me', '/api/games/sessions/recent'],
      cutAt + OUTAGE_MS - 200,
    );
    await sleep(Math.max(0, cutAt + OUTAGE_MS - Date.now()));
    const { worst, cashouts } = pending.stop();
    await proxy.restore();
    const restoredAt = Date.now();
    expect(alive(), server.output().slice(-3000)).to.equal(true);
    expect(worst.ms, `no spin or bet waiting longer than the bound: ${worst.what}`).to.be.below(ROOM_BOUND_MS);
    checkProbes(probes);
    expect(['running', 'crashed'], 'the round started without the database').to.include(phase);

    await withDb(directUrl, async (em) => {
      const round = await eventually(
        async () => (await em().execute<{ status: string }[]>(`select status from crash_rounds where id = ?`, [roundId]))[0]?.status,
        (s) => s === 'crashed',
        20_000,
      );
      expect(round, `crash round ${roundId} after the restore`).to.equal('crashed');
      const open = await eventually(
        async () =>
          (
            await em().execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where group_id = ? and status = 'open'`, [
              roundId,
            ])
          )[0].n,
        (n) => n === 0,
        20_000,
      );
      expect(open, 'bets of that round left open').to.equal(0);
      const [bets] = await em().execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where group_id = ?`, [roundId]);
      log.push(
        `outage 2 (${OUTAGE_MS} ms, at betting close): round ${roundId} with ${bets.n} bets was ${phase} during the cut, crashed and settled after; longest spin/bet wait ${worst.ms} ms${cashouts.length ? ` (cash-outs unanswered past the bound: ${cashouts.join('; ')})` : ''}; GETs: ${summarize(probes)}`,
      );
    });
    await resumes('outage 2', restoredAt);
  });

  it("answers a cash-out at once during an outage that started as betting closed (while the round's start is still being committed)", async () => {
    expect(OUTAGE_MS, 'FAULT_OUTAGE_MS leaves room for the 2 s answer inside the outage').to.be.at.least(2500);
    const p = await signup(server.http);
    const room = await joinAs(server.url, p.access, 'crash');
    room.reconnection.enabled = false;
    const inbox = new Inbox(room);
    const answers: string[] = [];
    try {
      for (let attempt = 0; attempt < 3 && answers.length === 0; attempt++) {
        const st = await eventually(
          () => room.state as any,
          (x) => x?.phase === 'betting' && x.bettingEndsAt - Date.now() > 600,
          30_000,
        );
        room.send('bet', { amount: 4 });
        await inbox.next('bet_placed', () => true, 5000);
        // cut as the window closes, so the round's start (marked running) is being committed during the outage (the
        // case where a cash-out queued behind that commit went unanswered until PostgreSQL was back, fixed by e633b44)
        await sleep(Math.max(0, st.bettingEndsAt - Date.now() - 50));
        await proxy.cut();
        const cutAt = Date.now();
        try {
          const phase = await eventually(
            () => String((room.state as any).phase),
            (x) => x !== 'betting',
            5000,
          );
          if (phase !== 'running') continue; // crashed at once: another round
          const sentAt = Date.now();
          room.send('cashout', {});
          const wait = Math.min(2000, cutAt + OUTAGE_MS - 200 - sentAt);
          const answer = await inbox
            .first(['error', 'cashed_out'], () => true, wait)
            .then((m) => (m.type === 'error' ? `error ${m.payload.code}` : 'cashed_out'))
            .catch(() => `no answer within ${wait} ms (${Date.now() - cutAt} ms into the outage)`);
          answers.push(answer);
          log.push(
            `cash-out during the outage, ${sentAt - cutAt} ms after the cut at betting close: ${answer} after ${Date.now() - sentAt} ms`,
          );
        } finally {
          await sleep(Math.max(0, cutAt + OUTAGE_MS - Date.now()));
          await proxy.restore();
        }
      }
      expect(answers, 'a cash-out was tried during the outage').to.have.length(1);
      // the decided cash-out is paid once the database is back (or the round crashed first: lost)
      await withDb(directUrl, async (em) => {
        const left = await eventually(
          async () =>
            (
              await em().execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where user_id = ? and status = 'open'`, [
                p.userId,
              ])
            )[0].n,
          (n) => n === 0,
          20_000,
        );
        expect(left, "the player's bets left open").to.equal(0);
      });
      expect(answers[0], 'answer to a cash-out sent during the outage (expected service/unavailable, or cashed_out)').to.match(
        /^(error service\/unavailable|error game\/too_late|cashed_out)$/,
      );
    } finally {
      await room.leave().catch(() => undefined);
    }
  });

  it('leaves no round or session open once the players are gone, and the ledger reconciles', async () => {
    await stopAll([...slots, ...crashes]);
    await withDb(directUrl, async (em) => {
      expect(await waitNoOpenRounds(em, 20_000), 'rounds left open').to.equal(0);
      expect(
        await eventually(
          () => openSessions(em()),
          (n) => n === 0,
          10_000,
        ),
        'sessions left open',
      ).to.equal(0);
      const summary = await assertLedgerConsistent(em);
      log.push(
        `after: ${summary.rounds} rounds (${JSON.stringify(summary.byGame)}), ${summary.settled} settled, ${summary.refunded} refunded`,
      );
      expect(summary.byGame.slot).to.be.greaterThan(0);
      expect(summary.byGame.crash).to.be.greaterThan(0);
    });
    expect(alive()).to.equal(true);
    expect(server.output(), 'no unhandled rejection or uncaught exception logged').to.not.match(/unhandled|uncaught/i);
  });
});

/** Every authenticated GET answered 200 or 503 (never 500, never hanging past the bound). */
function checkProbes(probes: Probe[]) {
  expect(probes.length).to.be.greaterThan(0);
  const bad = probes.filter(
    (p) => !(p.status === 200 || (p.status === 503 && p.error === 'service/unavailable')) || p.ms >= ANSWER_BOUND_MS,
  );
  expect(
    bad.map((p) => `${p.path} ${p.status} ${p.error ?? ''} in ${p.ms} ms`),
    'GETs during the outage',
  ).to.deep.equal([]);
}
