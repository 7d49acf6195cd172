// The bench's HTTP figures: the dashboard (one warm player, then 1,000 distinct players whose first request misses the
// cache), a mission claim (the first pays, the rest replay it) and purchases spread over 64 buyers, each at a fixed rate,
// with the server's own phase timings (neon_http_phase_seconds) for each route: p50 / p99 per phase, and the disk's
// stalls while it ran (stall-probe.ts).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RunningServer } from '../../server/bootstrap.ts';
import { dbUrl } from './baselines.ts';
import { fixedRate } from './fixed-rate.ts';
import { phaseQuantiles, scrapePhases, type PhaseBuckets } from './phases.ts';
import { stallProbe, type DiskWindow } from './stall-probe.ts';

/** Distinct players of the cold-dashboard figure. */
const COLD_PLAYERS = 1000;
const COLD_RATE = 200;

type Figure = Awaited<ReturnType<typeof fixedRate>> & { cpu: { serverMs: number; pgMs: number }; disk: DiskWindow };
/** phase → p50 / p99 in ms, estimated from the histogram's buckets */
type Phases = Record<string, { n: number; p50: number; p99: number }>;

export interface HttpFigures {
  dashboard: Figure;
  dashboardCold: Figure;
  claim: Figure;
  purchase: Figure;
  phases: { dashboard: Phases; dashboardCold: Phases; claim: Phases; purchase: Phases };
}

/**
 * Measures the HTTP figures on a running server. `players` hold enough GOLD for the purchases, and the first of them
 * has completed the daily 10-spin slot mission (the slot run before does that).
 */
export async function httpFigures(
  server: Pick<RunningServer, 'url' | 'orm' | 'services'>,
  players: Array<{ token: string; userId: string }>,
  seconds: number,
): Promise<HttpFigures> {
  const { url } = server;
  const cold = await coldPlayers(server);
  const cpu = await cpuMeter(server);
  const probe = await stallProbe(dbUrl('neon_bench'));
  try {
    return await figures(server, players, seconds, cold, async (route, run) => {
      const before = await phaseBuckets(url, route);
      const cpu0 = cpu();
      probe.start();
      const figure = await run();
      const disk = probe.read();
      const cpu1 = cpu();
      const n = figure.rate * figure.seconds;
      const per = (a: number, b: number) => Math.round(((b - a) / n) * 100) / 100;
      const withCpu = { ...figure, cpu: { serverMs: per(cpu0.node, cpu1.node), pgMs: per(cpu0.pg, cpu1.pg) }, disk };
      return [withCpu, percentiles(before, await phaseBuckets(url, route))];
    });
  } finally {
    await probe.stop();
  }
}

/** One figure: a route driven at a fixed rate, with its phases, CPU and the disk's stalls while it ran. */
type Measure = (route: string, run: () => ReturnType<typeof fixedRate>) => Promise<[Figure, Phases]>;

/** The four figures in turn: the warm dashboard, the cold dashboard, the purchases, then the claims. */
async function figures(
  server: Pick<RunningServer, 'url'>,
  players: Array<{ token: string; userId: string }>,
  seconds: number,
  cold: string[],
  measured: Measure,
): Promise<HttpFigures> {
  const { url } = server;
  const auth = { authorization: `Bearer ${players[0].token}` };

  console.log(`HTTP at a fixed rate: dashboard (1 player, then ${COLD_PLAYERS} cold), claim (repeat of a paid claim), purchase …`);
  const [dashboard, dashboardPhases] = await measured('/api/dashboard', () =>
    fixedRate(200, seconds, () => fetch(`${url}/api/dashboard`, { headers: auth })),
  );
  // one request per player: every one misses the cache
  const [dashboardCold, coldPhases] = await measured('/api/dashboard', () =>
    fixedRate(COLD_RATE, COLD_PLAYERS / COLD_RATE, (i) =>
      fetch(`${url}/api/dashboard`, { headers: { authorization: `Bearer ${cold[i % cold.length]}` } }),
    ),
  );
  // purchases spread over the players, as real buyers are (one player's purchases queue on that player's wallet lock)
  const [purchase, purchasePhases] = await measured('/api/shop/purchase', () =>
    fixedRate(100, seconds, (i) =>
      fetch(`${url}/api/shop/purchase`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${players[i % players.length].token}`,
          'content-type': 'application/json',
          'idempotency-key': `bench-purchase-${i}`,
        },
        body: JSON.stringify({ sku: 'xp_booster', quantity: 1 }),
      }),
    ),
  );
  // the spins' progress reaches the mission through the outbox and a background job: on a loaded machine it may lag
  let mission: { id: string; code: string; status: string } | undefined;
  for (let tries = 0; !mission && tries < 60; tries++) {
    if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    const missions = (await (await fetch(`${url}/api/missions`, { headers: auth })).json()) as {
      missions: Array<{ id: string; code: string; status: string }>;
    };
    mission = missions.missions.find((m) => m.code === 'd_slot_10' && m.status === 'claimable');
  }
  if (!mission) throw new Error('the daily slot mission should be claimable within 30 s of the slot run');
  const [claim, claimPhases] = await measured('/api/missions/:id/claim', () =>
    fixedRate(100, seconds, () => fetch(`${url}/api/missions/${mission.id}/claim`, { method: 'POST', headers: auth })),
  );
  return {
    dashboard,
    dashboardCold,
    claim,
    purchase,
    phases: { dashboard: dashboardPhases, dashboardCold: coldPhases, claim: claimPhases, purchase: purchasePhases },
  };
}

/** The figures as rows of the bench table (name, value, target, what the target is). */
export function httpRows(h: HttpFigures): Array<[string, number | string, number | string, string]> {
  const phaseRow = (f: Figure, p: Phases): [string, string, string, string] => [
    `  p50/p99 ${f.p50}/${f.p99} ms, CPU ms/request server ${f.cpu.serverMs} + PostgreSQL ${f.cpu.pgMs}, disk: slowest probe commit ${f.disk.max_commit_ms} ms${f.disk.stalls > 0 ? ` (${f.disk.stalls} stalled)` : ''}; phases p50/p99 ms`,
    Object.entries(p)
      .map(([name, v]) => `${name} ${v.p50}/${v.p99}`)
      .join(', '),
    '',
    '',
  ];
  return [
    ['HTTP p95 dashboard ms @200/s', h.dashboard.p95, 15, 'target ms'],
    phaseRow(h.dashboard, h.phases.dashboard),
    [`HTTP p95 dashboard ms @${COLD_RATE}/s, ${COLD_PLAYERS} cold players`, h.dashboardCold.p95, 15, 'target ms'],
    phaseRow(h.dashboardCold, h.phases.dashboardCold),
    ['HTTP p95 claim ms @100/s (1 paid, rest replayed)', h.claim.p95, 25, 'target ms'],
    phaseRow(h.claim, h.phases.claim),
    ['HTTP p95 purchase ms @100/s (64 buyers)', h.purchase.p95, 30, 'target ms'],
    phaseRow(h.purchase, h.phases.purchase),
  ];
}

/** Seeds players set-based (sign-up's password hash is slow by design) and mints their access tokens. */
async function coldPlayers(server: Pick<RunningServer, 'orm' | 'services'>): Promise<string[]> {
  const em = server.orm.em.fork() as EntityManager;
  const rows = await em.execute<Array<{ id: string; username: string }>>(
    `insert into users (id, username, username_key, password_hash, role, status, level, xp, created_at)
     select gen_random_uuid(), 'cold' || i, 'cold' || i, 'x', 'player', 'active', 1, 0, now() from generate_series(1, ${COLD_PLAYERS}) i
     returning id, username`,
  );
  await em.execute(
    `insert into wallets (user_id, currency, balance, version, updated_at)
     select u.id, c.currency, 1000, 0, now() from users u cross join (values ('GOLD'), ('GEM')) c(currency) where u.username like 'cold%'`,
  );
  return Promise.all(
    rows.map(
      async (u) =>
        (await server.services.tokens.issueAccessToken({ userId: u.id, username: u.username, role: 'player', sessionId: randomUUID() }))
          .token,
    ),
  );
}

/**
 * CPU time used so far (ms) by this process (the server, and the bench's HTTP client beside it) and by the PostgreSQL
 * server (the postmaster's children, from /proc): robust figures on a shared machine, where latencies swing with load.
 */
async function cpuMeter(server: Pick<RunningServer, 'orm'>): Promise<() => { node: number; pg: number }> {
  const em = server.orm.em.fork() as EntityManager;
  const [{ setting }] = await em.execute<Array<{ setting: string }>>(`select setting from pg_settings where name = 'data_directory'`);
  const postmaster = Number(readFileSync(`${setting}/postmaster.pid`, 'utf8').split('\n')[0]);
  const tick = 1000 / 100; // ms per clock tick (USER_HZ 100 on Linux)
  const pgMs = () => {
    let total = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // the postmaster's own time and that of its ended children (cutime, cstime), and the live children's time
        if (Number(pid) === postmaster) total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick;
        else if (Number(f[1]) === postmaster) total += (Number(f[11]) + Number(f[12])) * tick;
      } catch {
        // the process ended meanwhile
      }
    }
    return total;
  };
  return () => {
    const u = process.cpuUsage();
    return { node: (u.user + u.system) / 1000, pg: pgMs() };
  };
}

/** The phase histograms of one route, read from /metrics. */
function phaseBuckets(url: string, route: string): Promise<PhaseBuckets> {
  return scrapePhases([url], 'neon_http_phase_seconds', 'phase', { route });
}

/** p50 / p99 per phase of the observations made between two reads (phases with none left out). */
function percentiles(before: PhaseBuckets, after: PhaseBuckets): Phases {
  return Object.fromEntries(Object.entries(phaseQuantiles(before, after, Object.keys(after))).filter(([, q]) => q.n > 0));
}

/** Prints the HTTP rows alone (`npm run bench -- --http`), with the failed requests. */
export function printHttpRows(h: HttpFigures): void {
  console.log(`\n${'figure'.padEnd(50)} ${'value'.padStart(8)} ${'target'.padStart(7)}`);
  for (const [name, value, target] of httpRows(h))
    console.log(`${name.padEnd(50)} ${String(value).padStart(8)} ${String(target).padStart(7)}`);
  for (const [name, r] of Object.entries(h))
    if ('errors' in r && r.errors > 0) console.log(`warning: ${r.errors} ${name} request(s) failed`);
}
