// `npm run bench -- --operation`: seeds 10,000 players (level ≥ 5, 1,000 GOLD each with its ledger row), then runs a
// 50 GOLD grant to the segment "level ≥ 5 and no purchase in 7 days" through the admin API: preview, shadow, apply and
// undo, each timed until its job is done, with `reconcile` after the apply and after the undo. A player spins the slot
// during the apply: its round latency is compared with the same player's before the operation.
import type { EntityManager } from '@mikro-orm/postgresql';
import { MikroORM } from '@mikro-orm/postgresql';
import { parseSegmentRule } from '../../domain/admin/segments.ts';
import { credit } from '../../domain/economy/currency.ts';
import { startServer, type RunningServer } from '../../server/bootstrap.ts';
import type { Config } from '../../server/config/schema.ts';
import { ormOptions } from '../../server/db/orm.config.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { admin, dbUrl } from './baselines.ts';
import { signupMany, slotRounds } from './slot-rounds.ts';

const PLAYERS = 10_000;
const GRANT = 50;
const RULE = {
  all: [
    { fact: 'level', min: 5 },
    { fact: 'purchases', window: { days: 7 }, max: 0 },
  ],
};

const SEED = [
  `insert into users (id, username, username_key, password_hash, role, status, level, xp, created_at, last_login_at, last_seen_at)
   select gen_random_uuid(), 'Op' || i, 'op' || i, 'x', 'player', 'active', 5 + (i % 50), 0, now() - interval '30 days', null, now()
     from generate_series(1, ${PLAYERS}) i`,
  `insert into wallets (user_id, currency, balance, version, updated_at)
   select u.id, c.currency, case c.currency when 'GOLD' then 1000 else 0 end, 0, now()
     from users u cross join (values ('GOLD'), ('GEM')) c(currency) where u.role = 'player'`,
  `insert into ledger_entries (user_id, currency, delta, balance_after, reason, ref_type, ref_id, actor, created_at)
   select id, 'GOLD', 1000, 1000, 'signup_bonus', 'user', id::text, 'system', now() from users where role = 'player'`,
  `analyze`,
];

/** Seeds the players, runs the operation's steps against a server on `config` and prints each phase's time. */
export async function operationBench(config: Config): Promise<void> {
  await admin('drop database if exists neon_bench_ops');
  await admin('create database neon_bench_ops');
  const orm = await MikroORM.init(ormOptions(dbUrl('neon_bench_ops'), 2));
  await orm.migrator.up();
  for (const sql of SEED) await (orm.em.fork() as EntityManager).execute(sql);
  await orm.close(true);

  // the steps of 10,000 items can outlast an admin access token on a busy machine
  const server = await startServer({ ...config, DATABASE_URL: dbUrl('neon_bench_ops'), ADMIN_ACCESS_TTL_SECONDS: 4 * 3600 });
  try {
    const api = await operatorApi(server);
    const em = server.orm.em.fork() as EntityManager;
    const actor = { id: api.operatorId, username: 'bench_ops', role: 'admin' };
    const segment = await server.services.segments.create(em, actor, { name: 'lapsed', description: '', rule: parseSegmentRule(RULE) });
    const spinners = await signupMany(server.url, 2);
    for (const p of spinners) {
      await server.services.wallet.apply([
        credit({ userId: p.userId, currency: 'GOLD', amount: 10_000_000, reason: 'admin_adjust', actor: 'bench' }),
      ]);
    }
    const tokens = spinners.map((p) => p.token);
    const quiet = await slotRounds(server.url, tokens, { seconds: 5 });

    const draft = await api.post('/api/admin/operations', {
      kind: 'grant_currency',
      params: { currency: 'GOLD', amount: GRANT },
      target: { type: 'segment', segment_id: segment.id },
    });
    const id = draft.id as string;
    const rows: Array<[string, number, string]> = [];
    const timed = async (name: string, run: () => Promise<string>) => {
      const t = performance.now();
      const note = await run();
      rows.push([name, performance.now() - t, note]);
      console.log(`${name}: ${(performance.now() - t).toFixed(0)} ms, ${note}`);
    };
    await timed('preview', async () => `${(await api.post(`/api/admin/operations/${id}/preview`, {})).players} players`);
    await timed('shadow', async () => {
      await api.post(`/api/admin/operations/${id}/shadow`, {});
      return `${(await api.until(id, 'shadowed')).plan.count} items`;
    });
    let during: Awaited<ReturnType<typeof slotRounds>> | undefined;
    await timed('apply', async () => {
      await api.post(`/api/admin/operations/${id}/apply`, { confirm_count: PLAYERS });
      const spinning = slotRounds(server.url, tokens, { seconds: 5 });
      const done = await api.until(id, 'applied');
      during = await spinning;
      return `${done.totals.apply.succeeded} paid`;
    });
    const afterApply = await findDrift(server.orm.em.fork() as EntityManager);
    await timed('undo', async () => {
      await api.post(`/api/admin/operations/${id}/undo`, {});
      return `${(await api.until(id, 'undone')).totals.undo.succeeded} taken back`;
    });
    const afterUndo = await findDrift(server.orm.em.fork() as EntityManager);
    const [{ n: notBack }] = await em.execute<Array<{ n: string }>>(
      `select count(*) as n from wallets w join users u on u.id = w.user_id where u.username like 'Op%' and w.currency = 'GOLD' and w.balance <> 1000`,
    );

    console.log(`\n${`operation: ${GRANT} GOLD to ${PLAYERS} players`.padEnd(40)} ${'ms'.padStart(9)}`);
    for (const [name, ms, note] of rows) console.log(`${name.padEnd(40)} ${ms.toFixed(0).padStart(9)}  ${note}`);
    console.log(`reconcile after apply: ${afterApply.drift.length === 0 ? 'clean' : `${afterApply.drift.length} drift`}`);
    console.log(`reconcile after undo:  ${afterUndo.drift.length === 0 ? 'clean' : `${afterUndo.drift.length} drift`}`);
    console.log(`wallets not back at 1000 GOLD after the undo: ${notBack}`);
    const fmt = (r: { p50: number; p99: number; perSecond: number }) =>
      `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.perSecond.toFixed(0)} rounds/s`;
    console.log(`slot spins of 2 players, quiet:        ${fmt(quiet)}`);
    if (during) console.log(`slot spins of 2 players, during apply: ${fmt(during)}`);
  } finally {
    await server.stop();
  }
}

/** An admin operator's session on the server: writes with a fresh Idempotency-Key, and waiting for a status. */
async function operatorApi(server: RunningServer) {
  await server.services.auth.signup('bench_ops', 'bench ops password', {}, { role: 'admin' });
  const login = await call(server.url, 'POST', '/api/admin/auth/login', {}, { username: 'bench_ops', password: 'bench ops password' });
  const headers = { authorization: `Bearer ${login.access_token as string}` };
  const api = {
    operatorId: (login.operator as { id: string }).id,
    post: (path: string, body: unknown) => call(server.url, 'POST', path, { ...headers, 'idempotency-key': crypto.randomUUID() }, body),
    /** polls the operation until it has `status` (10 per second) */
    async until(id: string, status: string): Promise<Record<string, any>> {
      for (;;) {
        const op = await call(server.url, 'GET', `/api/admin/operations/${id}`, headers);
        if (op.status === status) return op;
        if (op.status === 'failed' || op.status === 'canceled') throw new Error(`operation ${id} is ${op.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  return api;
}

async function call(url: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(url + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, any>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}
