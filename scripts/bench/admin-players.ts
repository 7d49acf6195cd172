// `npm run bench -- --admin-players`: seeds 100,000 players with wallets, game sessions and rounds (set-based SQL), then
// measures the admin players grid over HTTP: p50 / p95 per page for every sort and direction and a few filters,
// following next_cursor page after page. Target: p95 < 50 ms.
import type { EntityManager } from '@mikro-orm/postgresql';
import { MikroORM } from '@mikro-orm/postgresql';
import { startServer } from '../../server/bootstrap.ts';
import type { Config } from '../../server/config/schema.ts';
import { ormOptions } from '../../server/db/orm.config.ts';
import { admin, dbUrl } from './baselines.ts';

const PLAYERS = 100_000;
const P95_TARGET_MS = 50;

/** The seed (exported for plan checks): players spread over levels, ages and statuses, two wallets each, sessions and rounds for a fifth of them. */
export const SEED = [
  `insert into users (id, username, username_key, password_hash, role, status, level, xp, created_at, last_login_at, last_seen_at)
   select gen_random_uuid(), 'Player' || i, 'player' || i, 'x', 'player',
          case when i % 50 = 0 then 'banned' when i % 97 = 0 then 'suspended' else 'active' end,
          1 + (i % 60), 0, now() - make_interval(mins => (random() * 525600)::int), null,
          now() - make_interval(mins => (random() * 43200)::int)
     from generate_series(1, ${PLAYERS}) i`,
  `insert into wallets (user_id, currency, balance, version, updated_at)
   select u.id, c.currency, (random() * 1000000)::bigint, 0, now()
     from users u cross join (values ('GOLD'), ('GEM')) c(currency) where u.role = 'player'`,
  `insert into game_sessions (id, user_id, game, room_id, owner, status, started_at, ended_at, rounds, wagered, won)
   select gen_random_uuid(), u.id, 'slot', 'bench', 'bench', 'closed', t, t + interval '5 minutes', 20, w, w / 2
     from (select id, now() - make_interval(hours => (random() * 240)::int) as t, (random() * 50000)::bigint as w
             from users where role = 'player' and random() < 0.2) u`,
  `insert into game_rounds (id, game, user_id, currency, bet, payout, multiplier, outcome, fairness, status, owner, created_at)
   select gen_random_uuid(), 'slot', s.user_id, 'GOLD', 100, 150, 150, '{}', '{}', 'settled', 'bench', s.started_at
     from game_sessions s cross join generate_series(1, 3)`,
  `analyze`,
];

const QUERIES: Array<[string, string]> = [
  ...['created', 'last_seen', 'level', 'gold', 'gem', 'wagered_7d'].flatMap((sort): Array<[string, string]> => [
    [`sort=${sort} desc`, `sort=${sort}&order=desc`],
    [`sort=${sort} asc`, `sort=${sort}&order=asc`],
  ]),
  ['status=banned, sort=gold', 'status=banned&sort=gold'],
  ['level 10..12, sort=last_seen', 'level_min=10&level_max=12&sort=last_seen'],
  ['created in the last 30 days', `created_from=${new Date(Date.now() - 30 * 86_400_000).toISOString()}&sort=created`],
  ['q=player12 (prefix), sort=level', 'q=player12&sort=level'],
  ['q=<exact id>', ''],
];

/** Seeds the players and runs the measurements against a server on `config`; prints the table. */
export async function adminPlayersBench(config: Config, pagesPerQuery = 40): Promise<void> {
  await admin('drop database if exists neon_bench_admin');
  await admin('create database neon_bench_admin');
  const orm = await MikroORM.init(ormOptions(dbUrl('neon_bench_admin'), 2));
  await orm.migrator.up();
  const t0 = Date.now();
  for (const sql of SEED) await (orm.em.fork() as EntityManager).execute(sql);
  const [{ id: someone }] = await (orm.em.fork() as EntityManager).execute<Array<{ id: string }>>(
    `select id from users where role = 'player' limit 1`,
  );
  await orm.close(true);
  console.log(`seeded ${PLAYERS} players, wallets, sessions and rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const server = await startServer({ ...config, DATABASE_URL: dbUrl('neon_bench_admin') });
  try {
    await server.services.adminPlayers.refreshWagered7d();
    await server.services.auth.signup('bench_admin', 'bench admin password', {}, { role: 'admin' });
    const login = await post(`${server.url}/api/admin/auth/login`, { username: 'bench_admin', password: 'bench admin password' });
    const headers = { authorization: `Bearer ${login.access_token as string}` };
    const rows: Array<[string, number, number, number, number]> = [];
    for (const [name, q] of QUERIES) {
      const query = q || `q=${someone}`;
      const times: number[] = [];
      let cursor: string | null = null;
      let n = 0;
      for (let page = 0; page < pagesPerQuery; page++) {
        const t = performance.now();
        const res = await fetch(`${server.url}/api/admin/players?${query}&limit=50${cursor ? `&cursor=${cursor}` : ''}`, { headers });
        const body = (await res.json()) as { items: unknown[]; next_cursor: string | null };
        times.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
        n += body.items.length;
        // a filter with few matches is measured again from its first page
        cursor = body.next_cursor;
      }
      rows.push([name, percentile(times, 0.5), percentile(times, 0.95), times.length, n]);
    }
    console.log(`\n${'players grid query (limit 50)'.padEnd(36)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'pages'.padStart(6)}`);
    for (const [name, p50, p95, pages] of rows) {
      console.log(`${name.padEnd(36)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${String(pages).padStart(6)}`);
    }
    const worst = Math.max(...rows.map((r) => r[2]));
    console.log(`\nworst p95 ${worst.toFixed(1)} ms (target < ${P95_TARGET_MS} ms): ${worst < P95_TARGET_MS ? 'met' : 'NOT met'}`);
  } finally {
    await server.stop();
  }
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
