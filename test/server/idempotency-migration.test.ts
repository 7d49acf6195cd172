import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { signup, startSeededServer, type TestServer } from '../helpers/test-server.ts';

/** The migration before idempotency keys stored results instead of HTTP responses. */
const BEFORE_RESULTS = 'Migration20261122043840_outbox_retry';

describe('idempotency keys stored before the domain-results migration', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  const sql = <T>(q: string, params: unknown[] = []) => em().execute<T[]>(q, params);

  before(async () => {
    s = await startSeededServer('idemmig');
  });
  after(async () => {
    await s?.stop();
  });

  it('replays purchases and claims whose keys were stored as HTTP responses, and converts them back on the way down', async () => {
    const u = await signup(s.http);
    const headers = (key: string) => ({ token: u.access, headers: { 'idempotency-key': key } });
    const missions = (await s.http.get('/api/missions', { token: u.access })).body.missions as Array<{
      id: string;
      code: string;
      period_key: string;
    }>;
    const mission = missions.find((m) => m.code === 'd_slot_10')!;
    await sql(
      `insert into user_missions (id, user_id, mission_id, period_key, progress, progress_version, status) values (?, ?, ?, ?, 10, 1, 'claimable')`,
      [randomUUID(), u.userId, mission.id, mission.period_key],
    );
    const requests = {
      paid: () => s.http.post('/api/shop/purchase', { sku: 'xp_booster', quantity: 1 }, headers('mig-paid')),
      pending: () => s.http.post('/api/shop/purchase', { sku: 'gem_pack_500', quantity: 1 }, headers('mig-pending')),
      claim: () => s.http.post(`/api/missions/${mission.id}/claim`, undefined, headers('mig-claim')),
    };
    const first = { paid: await requests.paid(), pending: await requests.pending(), claim: await requests.claim() };
    expect([first.paid.status, first.pending.status, first.claim.status]).to.deep.equal([200, 202, 200]);

    await s.orm.migrator.down({ to: BEFORE_RESULTS });
    const stored = await sql<{ key: string; status_code: number; response: string }>(
      'select key, status_code, response from idempotency_keys where user_id = ? order by key',
      [u.userId],
    );
    const byKey = Object.fromEntries(stored.map((r) => [r.key, r]));
    expect(byKey['shop.purchase:mig-paid'].status_code).to.equal(200);
    expect(JSON.parse(byKey['shop.purchase:mig-paid'].response)).to.deep.equal(first.paid.body);
    expect(byKey['shop.purchase:mig-pending'].status_code).to.equal(202);
    expect(JSON.parse(byKey['shop.purchase:mig-pending'].response)).to.deep.equal(first.pending.body);
    expect(JSON.parse(byKey[`claim:mission:${mission.id}:mig-claim`].response)).to.deep.equal(first.claim.body);

    await s.orm.migrator.up();
    const again = { paid: await requests.paid(), pending: await requests.pending(), claim: await requests.claim() };
    for (const k of ['paid', 'pending'] as const) {
      expect(again[k].status).to.equal(first[k].status);
      expect(again[k].body).to.deep.equal(first[k].body);
      expect(again[k].headers.get('idempotent-replayed')).to.equal('true');
    }
    expect(again.claim.body).to.deep.equal(first.claim.body);
  });
});
