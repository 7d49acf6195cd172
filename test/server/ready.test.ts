import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { hasRedisServer, startRedisServer } from '../helpers/redis-server.ts';
import { freePort } from '../helpers/server-process.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('/ready with a Redis that goes away', function () {
  let redis: ChildProcess | undefined;
  let port: number;
  let s: TestServer | undefined;

  before(async function () {
    if (!hasRedisServer) this.skip();
    port = await freePort();
    redis = await startRedisServer(port);
    s = await startTestServer('ready', { REDIS_URL: `redis://127.0.0.1:${port}` });
  });
  after(async () => {
    if (redis && redis.exitCode === null) redis.kill('SIGKILL');
  });

  it('reports 503 naming Redis while it is stopped, and 200 again once it is back', async () => {
    expect((await s!.http.get('/ready')).status).to.equal(200);
    redis!.kill('SIGKILL');
    const down = await until(
      () => s!.http.get('/ready'),
      (r) => r.status === 503,
    );
    expect(down.status).to.equal(503);
    expect(down.body).to.include({ error: 'service/unavailable' });
    expect(down.body.checks).to.deep.equal({ postgres: 'ok', redis: 'down' });
    expect(down.body.message).to.match(/redis/);
    expect((await s!.http.get('/health')).status).to.equal(200);

    redis = await startRedisServer(port);
    const up = await until(
      () => s!.http.get('/ready'),
      (r) => r.status === 200,
    );
    expect(up.status).to.equal(200);
    await s!.stop();
  });
});
