import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '../../server/db/orm.config.ts';
import { freePort } from './server-process.ts';

/**
 * A PostgreSQL cluster of a test's own (Debian's binaries, as `npm test` provisions them), so a fault test can
 * really stop and start the server under a running game process without touching the suite's shared cluster.
 */
export class PgCluster {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static available(): boolean {
    return PgCluster.bindir() !== undefined;
  }

  private static bindir(): string | undefined {
    const base = '/usr/lib/postgresql';
    if (!existsSync(base)) return undefined;
    for (const v of readdirSync(base).sort().reverse()) if (existsSync(join(base, v, 'bin', 'pg_ctl'))) return join(base, v, 'bin');
    return undefined;
  }

  /** initdb, start, create database `neon` and apply every migration. */
  static async create(): Promise<PgCluster> {
    const bin = PgCluster.bindir();
    if (!bin) throw new Error('PostgreSQL binaries not found');
    const dir = mkdtempSync(join(tmpdir(), 'neon-pgfault-'));
    if (process.getuid?.() === 0) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
    const cluster = new PgCluster(bin, dir, await freePort());
    cluster.pg('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--locale=C.UTF-8', '-E', 'UTF8']);
    cluster.start();
    cluster.pg('createdb', ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', 'neon']);
    const orm = await MikroORM.init(ormOptions(cluster.url, 2));
    try {
      await orm.migrator.up();
    } finally {
      await orm.close(true);
    }
    return cluster;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/neon`;
  }

  start(): void {
    this.pg('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`,
      'start',
    ]);
  }

  /** A fast shutdown, as a restart or an operator would: open sessions are told `57P01` and closed. */
  stop(): void {
    this.pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  remove(): void {
    try {
      this.pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', 'stop']);
    } catch {
      /* not running */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private pg(tool: string, args: string[]): void {
    const cmd = join(this.bin, tool);
    if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'ignore' });
    else execFileSync(cmd, args, { stdio: 'ignore' });
  }
}

const idOf = (flag: '-u' | '-g', name: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
const uidOf = (name: string) => idOf('-u', name);
const gidOf = (name: string) => idOf('-g', name);
