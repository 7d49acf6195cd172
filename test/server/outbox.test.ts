import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OUTBOX_MAX_ATTEMPTS, OutboxRelay } from '../../server/infra/outbox-relay.ts';
import { eventually } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('outbox relay', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  const stream = () => `${s.config.REDIS_PREFIX}events`;
  before(async () => {
    s = await startTestServer('outbox', { RUN_WORKERS: false, OUTBOX_RETRY_BASE_MS: 1 });
  });
  after(async () => {
    await s?.stop();
  });

  it('publishes each event once to the stream with the standard envelope, in order', async () => {
    const u = await signup(s.http); // writes a signup event in the signup transaction
    const relay = s.services.relay;
    const first = await relay.relayBatch();
    expect(first.published).to.be.at.least(1);
    const again = await relay.relayBatch();
    expect(again.published).to.equal(0);
    const entries = await s.redis.xrange(stream(), '-', '+');
    const signups = entries
      .map(([, f]) => Object.fromEntries(f.reduce<[string, string][]>((acc, v, i, arr) => (i % 2 ? acc : [...acc, [v, arr[i + 1]]]), [])))
      .filter((e) => e.event_type === 'signup' && e.user_id === u.userId);
    expect(signups).to.have.length(1);
    expect(signups[0]).to.include.keys('ts', 'trace_id', 'payload', 'version', 'outbox_id');
    expect(JSON.parse(signups[0].payload)).to.deep.include({ username: u.username });
    const pending = await em().execute(`select count(*)::int as n from outbox where published_at is null`);
    expect(pending[0].n).to.equal(0);
  });

  it('does not add an event twice when its commit was lost after publishing', async () => {
    await em().execute(
      `insert into outbox (event_type, user_id, payload, version, created_at, attempts) values ('progress', null, '{"x":1}', 1, now(), 0)`,
    );
    const [row] = await em().execute<{ id: string }[]>(`select id from outbox where published_at is null order by id desc limit 1`);
    await s.services.relay.relayBatch();
    await em().execute('update outbox set published_at = null where id = ?', [row.id]); // as if the commit never happened
    await s.services.relay.relayBatch();
    const entries = (await s.redis.xrange(stream(), '-', '+')).filter(([, f]) => f[f.indexOf('outbox_id') + 1] === String(row.id));
    expect(entries).to.have.length(1);
  });

  it('retries a poisoned event with backoff and dead-letters it after 10 attempts', async () => {
    await em().execute(
      `insert into outbox (event_type, user_id, payload, version, created_at, attempts) values ('no_such_type', null, '{}', 1, now(), 0)`,
    );
    const relay = new OutboxRelay(s.orm, s.redis, stream(), { now: () => new Date() }, 1);
    const row = await eventually(
      async () => {
        await relay.relayBatch();
        return (
          await em().execute<{ attempts: number; dead_at: string | null; last_error: string }[]>(
            `select attempts, dead_at, last_error from outbox where event_type = 'no_such_type'`,
          )
        )[0];
      },
      (r) => r.dead_at !== null,
      20_000,
    );
    expect(row.attempts).to.equal(OUTBOX_MAX_ATTEMPTS);
    expect(row.last_error).to.match(/event_type/);
    const dead = await s.redis.xrange(relay.deadLetterStream, '-', '+');
    expect(dead).to.have.length(1);
    const metrics = await s.http.get('/metrics');
    expect(metrics.text).to.match(/outbox_pending_events \d+/);
  });
  it('relays a backlog larger than one batch in one run, in order, with a poisoned row among them retried alone', async () => {
    await s.services.relay.relayDue(); // earlier tests' rows
    await em().execute(`insert into outbox (event_type, user_id, payload, version, created_at, attempts)
      select case when i = 600 then 'not_a_type' else 'progress' end, null, json_build_object('i', i), 1, now(), 0 from generate_series(1, 1200) as i`);
    const stats = await s.services.relay.relayDue();
    expect(stats.published).to.equal(1199);
    expect(stats.retried).to.be.at.least(1); // its backoff here is 1 ms: a later batch of the same run may try it again
    const entries = (await s.redis.xrange(stream(), '-', '+'))
      .map(([, f]) => ({ id: Number(f[f.indexOf('outbox_id') + 1]), payload: f[f.indexOf('payload') + 1] }))
      .filter((e) => e.payload.startsWith('{"i":'));
    expect(entries).to.have.length(1199);
    const order = entries.map((e) => JSON.parse(e.payload).i as number);
    expect(order).to.deep.equal([...Array(1200).keys()].map((k) => k + 1).filter((i) => i !== 600));
    const [left] = await em().execute<{ n: number }[]>(
      `select count(*)::int as n from outbox where published_at is null and dead_at is null`,
    );
    expect(left.n).to.equal(1); // the poisoned row, waiting for its retry
    await em().execute(`update outbox set dead_at = now() where event_type = 'not_a_type'`); // out of the way of later runs
  });
});
