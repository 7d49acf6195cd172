// The baselines the bench compares with, measured on the same PostgreSQL in the same run: pgbench's TPC-B-like
// transactions and single-row UPDATEs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const env = process.env;
const base = new URL(env.DATABASE_URL!);
/** A database of the bench's PostgreSQL by name. */
export const dbUrl = (name: string) => {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
};
/** A numbered database of the bench's Redis. */
export const redisDb = (n: number) => {
  const u = new URL(env.REDIS_URL!);
  u.pathname = `/${n}`;
  return u.toString();
};

/** Runs one statement on the `postgres` database (create/drop the bench databases), or on `database`. */
export async function admin(sql: string, database = 'postgres') {
  const c = new pg.Client({ connectionString: dbUrl(database) });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** pgbench's connection flags: the same socket the server uses (`?host=` names a Unix socket directory). */
const pgbenchConn = (u: URL) => [
  '-h',
  u.searchParams.get('host') || u.hostname,
  '-p',
  u.port || '5432',
  '-U',
  decodeURIComponent(u.username || 'postgres'),
];

/** pgbench's transactions per second for a builtin or custom script on the same server. */
function pgbench(args: string[]): number {
  const bin = env.PGBENCH_BIN || 'pgbench';
  const u = new URL(dbUrl('pgbench'));
  const conn = pgbenchConn(u);
  const r = spawnSync(bin, [...conn, ...args, 'pgbench'], { encoding: 'utf8' });
  const m = (r.stdout + r.stderr).match(/tps = ([\d.]+)/);
  if (!m) throw new Error(`pgbench failed: ${r.stderr || r.stdout}`);
  return Number(m[1]);
}

export async function baselines(seconds: number) {
  await admin('drop database if exists pgbench');
  await admin('create database pgbench');
  const bin = env.PGBENCH_BIN || 'pgbench';
  const u = new URL(dbUrl('pgbench'));
  spawnSync(bin, [...pgbenchConn(u), '-i', '-s', '10', '-q', 'pgbench'], { encoding: 'utf8' });
  const dir = mkdtempSync(join(tmpdir(), 'neon-bench-'));
  const script = join(dir, 'update.sql');
  writeFileSync(script, '\\set aid random(1, 1000000)\nUPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n');
  try {
    const tpcb = pgbench(['-c', '8', '-j', '2', '-T', String(seconds)]);
    const update = pgbench(['-c', '8', '-j', '2', '-T', String(seconds), '-f', script]);
    return { tpcb, update };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
