import { expect } from 'chai';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { ormOptions } from '../../server/db/orm.config.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/services/catalog.ts';
import { Inbox, joinAs } from '../helpers/room-client.ts';
import { processEnv, spawnServer, type ServerProcess } from '../helpers/server-process.ts';
import { signup } from '../helpers/test-server.ts';

describe('two server processes sharing PostgreSQL and Redis', function () {
  this.timeout(60_000);
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  after(async () => {
    for (const p of [a, b]) if (p && p.child.exitCode === null) { p.child.kill('SIGTERM'); await p.exited; }
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
      const bought = await a.http.post('/api/shop/purchase', { sku: 'xp_booster', quantity: 1 }, { token: u.access, headers: { 'idempotency-key': 'two-proc-purchase-1' } });
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
