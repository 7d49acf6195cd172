// `npm run bench -- --segments`: seeds 100,000 players (the players-grid seed, plus purchases and tags), then measures
// segment previews over HTTP (count + sample of 20): p50 / p95 per representative rule. Target: p95 < 500 ms.
import type { EntityManager } from '@mikro-orm/postgresql';
import { MikroORM } from '@mikro-orm/postgresql';
import { startServer } from '../../server/bootstrap.ts';
import type { Config } from '../../server/config/schema.ts';
import { ormOptions } from '../../server/db/orm.config.ts';
import { SEED } from './admin-players.ts';
import { admin, dbUrl } from './baselines.ts';

const P95_TARGET_MS = 500;
const RUNS = 20;

/** (exported for plan checks) Purchases for a tenth of the players over the last 30 days (USD and GEM), and tags on a few percent of them. */
export const EXTRA_SEED = [
  `insert into purchases (id, user_id, product_id, sku, quantity, unit_price, total_price, price_currency, status, created_at, completed_at)
   select gen_random_uuid(), u.id, gen_random_uuid(), 'bench', 1, p, p, c, 'succeeded', t, t
     from (select id, now() - make_interval(hours => (random() * 720)::int) as t, (100 + random() * 4900)::bigint as p,
                  case when random() < 0.5 then 'USD' else 'GEM' end as c
             from users where role = 'player' and random() < 0.1) u`,
  `insert into player_tags (user_id, tag, created_at) select id, 'vip', now() from users where role = 'player' and random() < 0.02`,
  `insert into player_tags (user_id, tag, created_at) select id, 'beta', now() from users where role = 'player' and random() < 0.05`,
  `analyze`,
];

const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** (exported for plan checks) Rules an operator would write, from one leaf to a nested mix of every kind of fact. */
export const RULES: Array<[string, unknown]> = [
  ['level >= 5, no purchase in 7 days', { all: [{ fact: 'level', min: 5 }, { not: { fact: 'purchases', window: { days: 7 }, min: 1 } }] }],
  ['wagered >= 10,000 in 7 days', { fact: 'wagered', window: { days: 7 }, min: 10_000 }],
  ['slot rounds <= 10 in 10 days (holds 0)', { fact: 'rounds', game: 'slot', window: { days: 10 }, max: 10 }],
  [
    'GOLD 100k..500k, active',
    {
      all: [
        { fact: 'balance', currency: 'GOLD', min: 100_000, max: 500_000 },
        { fact: 'status', in: ['active'] },
      ],
    },
  ],
  [
    'vip or USD revenue >= 2,000 in 30 days',
    {
      any: [
        { fact: 'has_tag', tag: 'vip' },
        { fact: 'revenue', currency: 'USD', window: { days: 30 }, min: 2000 },
      ],
    },
  ],
  [
    'lapsed: not seen in 14 days, created > 90 days',
    {
      all: [
        { fact: 'last_seen_at', older_than_days: 14 },
        { fact: 'created_at', older_than_days: 90 },
      ],
    },
  ],
  [
    'nested mix of 8 leaves',
    {
      all: [
        { fact: 'level', min: 10, max: 50 },
        {
          any: [
            { fact: 'lacks_tag', tag: 'beta' },
            { fact: 'sessions', window: { days: 3 }, min: 1 },
          ],
        },
        {
          not: {
            any: [
              { fact: 'status', in: ['banned'] },
              { fact: 'balance', currency: 'GEM', max: 1000 },
            ],
          },
        },
        { fact: 'won', window: { from: days(10), to: days(0) }, max: 1_000_000 },
        { fact: 'purchases', window: { days: 30 }, max: 3 },
      ],
    },
  ],
];

/** Seeds the players and runs the measurements against a server on `config`; prints the table. */
export async function segmentsBench(config: Config): Promise<void> {
  await admin('drop database if exists neon_bench_segments');
  await admin('create database neon_bench_segments');
  const orm = await MikroORM.init(ormOptions(dbUrl('neon_bench_segments'), 2));
  await orm.migrator.up();
  const t0 = Date.now();
  for (const sql of [...SEED.filter((s) => s !== 'analyze'), ...EXTRA_SEED]) await (orm.em.fork() as EntityManager).execute(sql);
  await orm.close(true);
  console.log(`seeded 100,000 players, wallets, sessions, purchases and tags in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const server = await startServer({ ...config, DATABASE_URL: dbUrl('neon_bench_segments') });
  try {
    await server.services.auth.signup('bench_admin', 'bench admin password', {}, { role: 'admin' });
    const login = await post(`${server.url}/api/admin/auth/login`, { username: 'bench_admin', password: 'bench admin password' }, {});
    const headers = { authorization: `Bearer ${login.access_token as string}` };
    const rows: Array<[string, number, number, number]> = [];
    for (const [name, rule] of RULES) {
      const times: number[] = [];
      let count = 0;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const body = await post(`${server.url}/api/admin/segments/preview`, { rule }, headers);
        times.push(performance.now() - t);
        count = body.count as number;
      }
      rows.push([name, percentile(times, 0.5), percentile(times, 0.95), count]);
    }
    console.log(
      `\n${'segment preview (count + sample of 20)'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'players'.padStart(8)}`,
    );
    for (const [name, p50, p95, count] of rows) {
      console.log(`${name.padEnd(46)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${String(count).padStart(8)}`);
    }
    const worst = Math.max(...rows.map((r) => r[2]));
    console.log(
      `\nworst p95 ${worst.toFixed(1)} ms over ${RUNS} runs each (target < ${P95_TARGET_MS} ms): ${worst < P95_TARGET_MS ? 'met' : 'NOT met'}`,
    );
  } finally {
    await server.stop();
  }
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
