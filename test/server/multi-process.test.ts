import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type SeatReservation } from '@colyseus/sdk';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { ormOptions } from '../../server/db/orm.config.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { freePort, processEnv, root, spawnServer, type ServerProcess } from '../helpers/server-process.ts';
import { HttpClient, signup } from '../helpers/test-server.ts';

describe('two server processes sharing PostgreSQL and Redis', function () {
  this.timeout(60_000);
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  after(async () => {
    for (const p of [a, b])
      if (p && p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
  });

  it('delivers a hub push caused on process A to the player connected to process B', async () => {
    const env = await processEnv('twoproc');
    a = await spawnServer({ ...env, INSTANCE_ID: 'proc-a' });
    b = await spawnServer({ ...env, INSTANCE_ID: 'proc-b' });
    const u = await signup(a.http);
    const hub = await joinAs(b.url, u.access, 'hub');
    const inbox = new Inbox(hub);
    try {
      // buy through the shop of process A (the test database has no seeded catalog yet)
      const orm = await MikroORM.init(ormOptions(env.DATABASE_URL, 1));
      await seedProducts(orm.em.fork() as EntityManager, DEMO_CATALOG);
      await orm.close(true);
      const bought = await a.http.post(
        '/api/shop/purchase',
        { sku: 'xp_booster', quantity: 1 },
        { token: u.access, headers: { 'idempotency-key': 'two-proc-purchase-1' } },
      );
      expect(bought.status).to.equal(200);
      const pushed = await inbox.next('purchase_update');
      expect(pushed).to.include({ purchase_id: bought.body.purchase_id, status: 'succeeded' });
    } finally {
      await hub.leave();
    }
  });

  it('serves the public numbers, one-shot and as Server-Sent Events', async () => {
    const one = await a!.http.get('/api/metrics/global');
    expect(one.status).to.equal(200);
    expect(one.body).to.include.keys('online_players', 'rounds_last_hour', 'big_wins_last_hour');
    const ctrl = new AbortController();
    const res = await fetch(`${b!.url}/api/metrics/stream`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).to.match(/text\/event-stream/);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    ctrl.abort();
    const text = new TextDecoder().decode(value);
    expect(text).to.match(/^event: metrics\ndata: \{.*"online_players":\d+/);
  });
});

/** One sample of a Prometheus text exposition (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = text.match(new RegExp(`^${esc(name)}${labels ? esc(`{${labels}}`) : ''} (\\S+)$`, 'm'));
  return m ? Number(m[1]) : undefined;
}

describe('two server processes with their own public addresses', function () {
  this.timeout(90_000);
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  before(async () => {
    const env = await processEnv('pubaddr', { RPS_HOUSE_AFTER_MS: '300' });
    const [pa, pb] = [await freePort(), await freePort()];
    a = await spawnServer({ ...env, INSTANCE_ID: 'pub-a', PORT: String(pa), PUBLIC_ADDRESS: `127.0.0.1:${pa}` });
    b = await spawnServer({ ...env, INSTANCE_ID: 'pub-b', PORT: String(pb), PUBLIC_ADDRESS: `127.0.0.1:${pb}` });
  });
  after(async () => {
    for (const p of [a, b])
      if (p && p.child.exitCode === null) {
        p.child.kill('SIGTERM');
        await p.exited;
      }
  });

  it('places a player who matched through process A in a room on process B, where the WebSocket goes and the round is played', async () => {
    const u = await signup(a!.http);
    // new rooms go to the process with the fewest rooms: each stake is a new duel room, so one soon lands on B
    const seen = new Set<string>();
    let onB: SeatReservation | undefined;
    let stake = 10;
    for (; stake < 20 && !onB; stake++) {
      const res = await a!.http.post('/matchmake/joinOrCreate/rps', { stake }, { token: u.access });
      expect(res.status, res.text).to.equal(200);
      seen.add(res.body.publicAddress);
      if (res.body.publicAddress === `127.0.0.1:${b!.port}`) onB = res.body;
    }
    stake--;
    expect(onB, `rooms were placed at ${[...seen].join(', ')}`).to.not.equal(undefined);

    const client = new Client(a!.url);
    client.auth.token = u.access;
    const room = await client.consumeSeatReservation(onB!);
    const inbox = new Inbox(room);
    try {
      await eventually(
        () => (room.state as any).phase,
        (p) => p === 'picking',
        10_000,
      );
      room.send('pick', { pick: 'rock' });
      const result = await inbox.next('result');
      const rake = Math.floor((2 * stake * 200) / 10_000);
      const expected = result.result === 'draw' ? 1000 : result.result === 'a' ? 1000 + stake - rake : 1000 - stake;
      expect((await a!.http.get('/api/wallet', { token: u.access })).body.balances.GOLD).to.equal(expected);

      // the round ran on B: its process settled it, A settled none, and B holds the one connected client
      const [ma, mb] = [(await a!.http.get('/metrics')).text, (await b!.http.get('/metrics')).text];
      expect(sample(mb, 'game_rounds_settled_total', 'game="rps"')).to.equal(1);
      expect(sample(ma, 'game_rounds_settled_total', 'game="rps"') ?? 0).to.equal(0);
      expect(sample(mb, 'colyseus_clients')).to.equal(1);
      expect(sample(ma, 'colyseus_clients')).to.equal(0);
      expect(sample(mb, 'colyseus_rooms')).to.be.at.least(1);
    } finally {
      await room.leave();
    }
  });

  it('exposes room messages, patch durations and the PostgreSQL pool with sane values after that traffic', async () => {
    const m = (await b!.http.get('/metrics')).text;
    expect(sample(m, 'colyseus_room_messages_total', 'room="rps"')).to.equal(1); // the one pick
    const count = sample(m, 'colyseus_patch_duration_seconds_count', 'room="rps"')!;
    expect(count, 'patches of the duel room').to.be.greaterThan(0);
    expect(sample(m, 'colyseus_patch_duration_seconds_bucket', 'le="+Inf",room="rps"')).to.equal(count);
    expect(sample(m, 'colyseus_patch_duration_seconds_sum', 'room="rps"')).to.be.greaterThan(0);
    const buckets = [...m.matchAll(/^colyseus_patch_duration_seconds_bucket\{le="[^"]+",room="rps"\} (\d+)$/gm)].map((x) => Number(x[1]));
    expect(buckets).to.deep.equal(
      [...buckets].sort((x, y) => x - y),
      'cumulative buckets',
    );

    const max = sample(m, 'db_pool_max');
    const inUse = sample(m, 'db_pool_connections', 'state="in_use"')!;
    const idle = sample(m, 'db_pool_connections', 'state="idle"')!;
    expect(max).to.equal(20); // DB_POOL_MAX's default
    expect(inUse).to.be.at.least(0);
    expect(idle).to.be.at.least(0);
    expect(inUse + idle).to.be.at.most(max!);
    expect(sample(m, 'db_pool_waiting')).to.equal(0);
    expect(sample(m, 'nodejs_eventloop_lag_p99_seconds')).to.be.a('number');
  });

  it('charts in the Grafana dashboard only metrics the server exports', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana/neon-club.json', import.meta.url), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets?: Array<{ expr: string }> }) => (p.targets ?? []).map((t) => t.expr));
    const promql = new Set(['sum', 'max', 'min', 'avg', 'rate', 'irate', 'increase', 'histogram_quantile', 'by', 'without', 'clamp_min']);
    const names = new Set(
      exprs
        .flatMap((e) => e.replace(/\bby \([^)]*\)|\[[^\]]*\]|\{[^}]*\}|"[^"]*"/g, ' ').match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [])
        .filter((n) => !promql.has(n))
        .map((n) => n.replace(/_(bucket|sum|count)$/, '')),
    );
    expect(names.size).to.be.greaterThan(5);
    const text = (await a!.http.get('/metrics')).text;
    for (const n of names) expect(text, n).to.match(new RegExp(`^# TYPE ${n} `, 'm'));
  });
});

describe('npm start -- --processes 2', function () {
  this.timeout(120_000);

  it('runs two game processes with their own public addresses and the worker process, and SIGTERM stops them all', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'neon-start-'));
    const env = await processEnv('npmstart', { LOG_LEVEL: 'info', NEON_STATE_DIR: stateDir });
    let port = await freePort();
    for (let i = 0; i < 20 && (await portTaken(port + 1)); i++) port = await freePort();
    const script = spawn('bash', ['scripts/start.sh', '--processes', '2'], {
      cwd: root,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    script.stdout!.on('data', (d) => {
      out += d;
    });
    script.stderr!.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => script.on('exit', (code) => resolve(code)));
    let pids: number[] = [];
    try {
      await eventually(
        () => out,
        (o) =>
          (o.includes('Neon Club is running on') && o.includes('game process on port') && o.includes('worker running')) ||
          script.exitCode !== null,
        90_000,
      );
      expect(script.exitCode, out).to.equal(null);
      const children = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(script.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      const games = children.filter((c) => c.includes('server/main.ts'));
      const workers = children.filter((c) => c.includes('server/cli/worker.ts'));
      expect(games, out).to.have.length(2);
      expect(workers, out).to.have.length(1);
      pids = [...games, ...workers].map((c) => Number(c.trim().split(/\s+/)[0]));

      for (const p of [port, port + 1]) {
        const ready = await fetch(`http://127.0.0.1:${p}/ready`).catch(
          (err: Error) => new Error(`${err.message}: ${String(err.cause)}\n${out}`),
        );
        if (ready instanceof Error) throw ready;
        expect(ready.status, out).to.equal(200);
      }
      const u = await signup(new HttpClient(`http://127.0.0.1:${port}`));
      const res = await fetch(`http://127.0.0.1:${port}/matchmake/joinOrCreate/slot`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${u.access}` },
        body: '{}',
      });
      expect([`localhost:${port}`, `localhost:${port + 1}`]).to.include(((await res.json()) as SeatReservation).publicAddress);

      script.kill('SIGTERM');
      expect(await exited, out).to.equal(0);
      for (const pid of pids) expect(() => process.kill(pid, 0), `process ${pid} is gone`).to.throw();
      expect(out.match(/"msg":"shutting down"/g), out).to.have.length(2);
      expect(out).to.include('worker shutting down');
    } finally {
      if (script.exitCode === null) {
        script.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      }
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

async function portTaken(port: number): Promise<boolean> {
  const srv = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise((resolve) => srv.close(resolve));
  return !ok;
}

describe('npm start twice on one state directory', function () {
  this.timeout(120_000);

  /** Runs one of the entry scripts (start.sh, run.sh …) on `env`, collecting what it prints. */
  const script = (env: Record<string, string>, ...args: string[]) => {
    const child = spawn('bash', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run = { child, out: '', exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))) };
    child.stdout!.on('data', (d) => {
      run.out += d;
    });
    child.stderr!.on('data', (d) => {
      run.out += d;
    });
    return run;
  };

  it('refuses a start while a maintenance command holds the state directory (it would stop the services under it)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'neon-start-'));
    const env = { ...(await processEnv('npmlockrun', { NEON_STATE_DIR: stateDir })), PORT: String(await freePort()) };
    const worker = script(env, 'scripts/run.sh', 'worker');
    let start: ReturnType<typeof script> | undefined;
    try {
      await eventually(
        () => existsSync(join(stateDir, 'start.lock')) && readFileSync(join(stateDir, 'start.lock'), 'utf8').includes('npm run worker'),
        (ok) => ok || worker.child.exitCode !== null,
        60_000,
      );
      expect(worker.child.exitCode, worker.out).to.equal(null);
      start = script(env, 'scripts/start.sh');
      const code = await Promise.race([start.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(code, start.out).to.be.a('number').and.not.equal(0);
      expect(start.out).to.include('npm run worker is already running').and.include(`PID ${worker.child.pid}`);
    } finally {
      for (const run of [worker, start]) {
        if (run && run.child.exitCode === null) {
          run.child.kill('SIGTERM');
          await Promise.race([run.exited, new Promise((r) => setTimeout(r, 15_000))]);
        }
      }
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('prints how long each step took, and a second start skips what has not changed', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'neon-start-'));
    const env = { ...(await processEnv('npmwarm', { NEON_STATE_DIR: stateDir })), PORT: String(await freePort()) };
    /** One `npm start` until it prints its timing line, then SIGTERM; returns that line. */
    const startOnce = async () => {
      const run = script(env, 'scripts/start.sh');
      try {
        await eventually(
          () => run.out,
          (o) => /\[neon\] ready in .*\n/.test(o) || run.child.exitCode !== null,
          90_000,
        );
        expect(run.child.exitCode, run.out).to.equal(null);
        expect((await fetch(`http://127.0.0.1:${env.PORT}/ready`)).status, run.out).to.equal(200);
        run.child.kill('SIGTERM');
        expect(await run.exited, run.out).to.equal(0);
        return { line: run.out.match(/\[neon\] ready in .*/)![0], out: run.out };
      } finally {
        if (run.child.exitCode === null) {
          run.child.kill('SIGTERM');
          await Promise.race([run.exited, new Promise((r) => setTimeout(r, 15_000))]);
        }
      }
    };
    const s = '[\\d.]+ s';
    try {
      // the test database is cloned from a migrated template: only the seed has work on the first start
      const first = await startOnce();
      expect(first.line).to.match(
        new RegExp(
          `^\\[neon\\] ready in ${s}: deps ${s} \\((unchanged|installed)\\), services ${s}, clients ${s} \\([^)]+\\), server ${s} \\(`,
        ),
      );
      expect(first.line).to.match(
        new RegExp(`modules ${s}, waiting for services ${s}, config ${s}, ORM ${s}, migrate ${s} \\(unchanged\\), seed ${s}, Redis ${s}`),
      );
      expect(first.line).to.match(new RegExp(`workers ${s}, recovery ${s}, HTTP ${s}, rooms ${s}\\)$`));
      expect(first.out).to.include('First run: generated accounts');

      const second = await startOnce();
      expect(second.line).to.match(new RegExp(`deps ${s} \\(unchanged\\), services ${s}, clients ${s} \\(unchanged\\)`));
      expect(second.line).to.match(new RegExp(`migrate ${s} \\(unchanged\\), seed ${s} \\(unchanged\\)`));
      expect(second.out).to.not.include('First run');
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('refuses the second start, naming the running one, and leaves the first serving', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'neon-start-'));
    const env = { ...(await processEnv('npmlock', { NEON_STATE_DIR: stateDir })), PORT: String(await freePort()) };
    const start = () => script(env, 'scripts/start.sh');
    const first = start();
    let second: ReturnType<typeof start> | undefined;
    try {
      await eventually(
        () => first.out,
        (o) => o.includes('Neon Club is running on') || first.child.exitCode !== null,
        90_000,
      );
      expect(first.child.exitCode, first.out).to.equal(null);

      const t0 = Date.now();
      second = start();
      const code = await Promise.race([second.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 10_000))]);
      expect(code, second.out).to.be.a('number').and.not.equal(0);
      expect(Date.now() - t0, 'refused at once').to.be.below(10_000);
      expect(second.out).to.include(`PID ${first.child.pid}`).and.include(`http://localhost:${env.PORT}`).and.include(stateDir);

      expect((await fetch(`http://127.0.0.1:${env.PORT}/ready`)).status, first.out).to.equal(200);
      expect(first.child.exitCode).to.equal(null);
      first.child.kill('SIGTERM');
      expect(await first.exited, first.out).to.equal(0);
    } finally {
      for (const run of [first, second]) {
        if (run && run.child.exitCode === null) {
          run.child.kill('SIGTERM');
          await Promise.race([run.exited, new Promise((r) => setTimeout(r, 15_000))]);
        }
      }
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
