import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { ormOptions } from '../../server/db/orm.config.ts';
import { eventually } from '../helpers/room-client.ts';
import { freePort, processEnv, spawnServer, type ServerProcess } from '../helpers/server-process.ts';

/** A redis-server of the test's own (AOF on, so BullMQ's job schedulers survive the restart), stopped and started at will. */
class OwnRedis {
  private child?: ChildProcess;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}
  static async create(): Promise<OwnRedis> {
    return new OwnRedis(await freePort(), mkdtempSync(join(tmpdir(), 'neon-redis-')));
  }
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--logfile',
        '',
      ],
      { stdio: 'ignore' },
    );
    const up = await eventually(
      () => spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' }).stdout.includes('PONG'),
      (ok) => ok,
      10_000,
    );
    if (!up) throw new Error('redis-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The value of one Prometheus sample (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('a Redis restart under a running server', function () {
  this.timeout(90_000);
  let redis: OwnRedis;
  let server: ServerProcess | undefined;
  let orm: MikroORM | undefined;
  before(async () => {
    redis = await OwnRedis.create();
    await redis.start();
  });
  after(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await orm?.close(true);
    await redis?.remove();
  });

  it("logs one structured warning per connection, counts the errors, and publishes the outage's outbox rows once, with no retries", async () => {
    const env = await processEnv('redisout', { REDIS_URL: redis.url, LOG_LEVEL: 'info' });
    server = await spawnServer(env);
    orm = await MikroORM.init(ormOptions(env.DATABASE_URL, 2));
    const em = () => orm!.em.fork() as EntityManager;
    expect((await server.http.get('/ready')).status).to.equal(200);
    await sleep(1500); // the workers' first runs
    const mark = server.output().length;
    const errMark = server.stderr().length;

    await redis.stop();
    const outageStart = Date.now();
    await em().execute(`insert into outbox (event_type, user_id, payload, version, created_at, attempts)
      select 'progress', null, json_build_object('outage', i), 1, now(), 0 from generate_series(1, 20) as i`);
    const ids = (await em().execute<{ id: string }[]>(`select id from outbox where payload->>'outage' is not null order by id`)).map((r) =>
      String(r.id),
    );
    await sleep(1500);
    const during = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => r.text(),
      (err: Error) => `/metrics failed during the outage: ${err.message}`,
    );
    await sleep(Math.max(0, 5000 - (Date.now() - outageStart)));
    await redis.start();

    const rows = () =>
      em().execute<{ id: string; attempts: number; last_error: string | null; published_at: string | null }[]>(
        'select id, attempts, last_error, published_at from outbox where id in (?) order by id',
        [ids],
      );
    const settled = await eventually(rows, (rs) => rs.every((r) => r.published_at !== null), 20_000);
    await sleep(2500); // reconnections logged after the relay's first run back
    const after = (await server.http.get('/metrics')).text;

    const lines = server
      .output()
      .slice(mark)
      .split('\n')
      .filter((l) => l.trim() !== '');
    const logs = lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const unavailable = new Map<string, number>();
    for (const l of logs)
      if (l.msg === 'redis unavailable') unavailable.set(String(l.component), (unavailable.get(String(l.component)) ?? 0) + 1);
    const retried = settled.filter((r) => r.attempts > 1 || r.last_error !== null).length;
    console.log(
      `      outage: ${lines.length} output lines (${logs.length} structured), ${server.stderr().length - errMark} bytes on stderr, ${retried} of ${ids.length} rows retried`,
    );

    expect(server.stderr().slice(errMark), 'nothing raw on stderr').to.equal('');
    expect(lines.length - logs.length, 'unstructured lines').to.equal(0);
    expect(unavailable.get('app'), 'warnings for the app connection').to.equal(1);
    for (const [component, n] of unavailable) expect(n, component).to.be.at.most(2);
    expect(lines.length, lines.join('\n')).to.be.at.most(3 * unavailable.size + 10);
    expect(logs.filter((l) => l.msg === 'redis back' && l.component === 'app')).to.have.length(1);

    expect(sample(during, 'dependency_up', 'service="redis",component="app"')).to.equal(0);
    expect(sample(after, 'dependency_up', 'service="redis",component="app"')).to.equal(1);
    expect(sample(after, 'redis_connection_errors_total', 'component="app"')).to.be.at.least(1);

    expect(retried, 'rows retried because Redis was down').to.equal(0);
    expect(settled.map((r) => r.attempts)).to.deep.equal(ids.map(() => 1));
    const check = new Redis(redis.url);
    try {
      const entries = await check.xrange(`${env.REDIS_PREFIX}events`, '-', '+');
      const published = entries.map(([, f]) => f[f.indexOf('outbox_id') + 1]).filter((id) => ids.includes(id));
      expect(published.sort()).to.deep.equal([...ids].sort());
    } finally {
      check.disconnect();
    }
  });
});
