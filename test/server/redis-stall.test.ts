import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { eventually } from '../helpers/room-client.ts';
import { hasRedisServer, startRedisServer } from '../helpers/redis-server.ts';
import { freePort } from '../helpers/server-process.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** What a request may take while Redis is stalled: the command timeout (1 s by default) plus slack. */
const BOUND_MS = 3000;

/** The value of one Prometheus sample (`name{labels} value`), or 0. */
function sample(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('a stalled Redis (SIGSTOP: connected, never answering) under a running server', function () {
  this.timeout(90_000);
  let redis: ChildProcess | undefined;
  let stopped = false;
  let s: TestServer | undefined;
  const timings: Array<{ what: string; ms: number; status: number | string }> = [];

  /** One request with a stopwatch; a request that has not answered after 10 s is given up (status 'no answer'). */
  async function timed(
    what: string,
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const t0 = Date.now();
    try {
      const res = await fetch(s!.url + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      const ms = Date.now() - t0;
      timings.push({ what, ms, status: res.status });
      return { status: res.status, ms, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
    } catch (err) {
      timings.push({ what, ms: Date.now() - t0, status: 'no answer' });
      throw new Error(`${what}: no answer within ${Date.now() - t0} ms (${(err as Error).message})`);
    }
  }

  const pause = () => {
    process.kill(redis!.pid!, 'SIGSTOP');
    stopped = true;
  };
  const resume = () => {
    if (stopped) process.kill(redis!.pid!, 'SIGCONT');
    stopped = false;
  };

  before(async function () {
    if (!hasRedisServer) this.skip();
    const port = await freePort();
    redis = await startRedisServer(port);
    s = await startTestServer('redisstall', { REDIS_URL: `redis://127.0.0.1:${port}` });
    await seedProducts(s.orm.em.fork() as EntityManager, DEMO_CATALOG);
  });
  after(async function () {
    this.timeout(30_000);
    if (timings.length > 0)
      console.log(`      timings with Redis stalled: ${timings.map((t) => `${t.what} ${t.status} in ${t.ms} ms`).join('; ')}`);
    try {
      if (redis?.pid && redis.exitCode === null) resume();
      await Promise.race([s?.stop(), new Promise((r) => setTimeout(r, 20_000).unref())]);
    } finally {
      if (redis && redis.exitCode === null) redis.kill('SIGKILL');
    }
  });

  it('answers authenticated reads from PostgreSQL, a USD purchase that schedules its hold, and clean 503s where Redis is required, all within the bound; normal again after SIGCONT', async () => {
    const u = await signup(s!.http);
    const other = await signup(s!.http);
    expect((await s!.http.get('/api/dashboard', { token: u.access })).status).to.equal(200); // cached in Redis

    pause();
    const me = await timed('GET /api/auth/me', 'GET', '/api/auth/me', { token: u.access });
    expect(me.status).to.equal(200);
    expect(me.body).to.include({ id: u.userId });
    expect(me.ms).to.be.below(BOUND_MS);

    const wallet = await timed('GET /api/wallet', 'GET', '/api/wallet', { token: u.access });
    expect(wallet.status).to.equal(200);
    expect(wallet.ms).to.be.below(BOUND_MS);

    const purchase = await timed('POST /api/shop/purchase (USD, limited)', 'POST', '/api/shop/purchase', {
      token: u.access,
      body: { sku: 'gem_chest_limited', quantity: 1 },
      headers: { 'idempotency-key': `stall-${process.pid}` },
    });
    expect(purchase.status).to.equal(202);
    expect(purchase.body).to.include({ status: 'pending' });
    expect(purchase.ms).to.be.below(BOUND_MS);
    const [hold] = await (s!.orm.em.fork() as EntityManager).execute<{ status: string }[]>(
      'select status from stock_holds where purchase_id = ?',
      [purchase.body.purchase_id],
    );
    expect(hold.status).to.equal('held');

    const dashboard = await timed('GET /api/dashboard', 'GET', '/api/dashboard', { token: u.access });
    expect(dashboard.status).to.equal(200);
    expect(dashboard.body.shop_highlights).to.be.an('array');
    expect(dashboard.ms).to.be.below(BOUND_MS);

    const global = await timed('GET /api/metrics/global', 'GET', '/api/metrics/global');
    expect(global.status).to.equal(200);
    expect(global.ms).to.be.below(BOUND_MS);

    const login = await timed('POST /api/auth/login', 'POST', '/api/auth/login', {
      body: { username: other.username, password: other.password },
    });
    expect(login.status).to.equal(503);
    expect(login.body).to.include({ error: 'service/unavailable', service: 'redis' });
    expect(login.body.message).to.be.a('string');
    expect(login.ms).to.be.below(BOUND_MS);

    const logout = await timed('POST /api/auth/logout', 'POST', '/api/auth/logout', { token: other.access });
    expect(logout.status).to.equal(503);
    expect(logout.body).to.include({ error: 'service/unavailable', service: 'redis' });
    expect(logout.ms).to.be.below(BOUND_MS);
    // the session is ended in PostgreSQL, which answers the revocation check while Redis is away
    expect((await timed('GET /api/auth/me (logged out)', 'GET', '/api/auth/me', { token: other.access })).status).to.equal(401);

    const scrape = await timed('GET /metrics', 'GET', '/metrics');
    expect(scrape.status).to.equal(200);
    expect(scrape.ms).to.be.below(BOUND_MS);
    for (const component of [
      'auth.revocation',
      'shop.hold_expiry',
      'dashboard.cache',
      'hub.push',
      'metrics.cache',
      'login.lockout',
      'auth.revoke',
    ]) {
      expect(sample(scrape.text, 'redis_fallbacks_total', `component="${component}"`), component).to.be.at.least(1);
    }

    resume();
    // the hold's expiry job is added once Redis answers (same job id), and Redis is used again
    const jobKey = `${s!.config.REDIS_PREFIX}bull:shop:hold-${purchase.body.purchase_id}`;
    expect(
      await eventually(
        () => s!.redis.exists(jobKey),
        (n) => n === 1,
        10_000,
      ),
    ).to.equal(1);
    const back = await eventually(
      () => s!.http.post('/api/auth/login', { username: other.username, password: other.password }),
      (r) => r.status === 200,
      10_000,
    );
    expect(back.status).to.equal(200);
    // a retried logout completes, and the old token is refused through Redis too
    expect((await s!.http.post('/api/auth/logout', undefined, { token: other.access })).status).to.be.oneOf([204, 401]);
    expect((await s!.http.get('/api/auth/me', { token: other.access })).status).to.equal(401);
    const t0 = Date.now();
    expect((await s!.http.get('/api/auth/me', { token: u.access })).status).to.equal(200);
    expect(Date.now() - t0).to.be.below(500);
  });
});
