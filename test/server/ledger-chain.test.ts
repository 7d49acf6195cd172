import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit } from '../../domain/economy/currency.ts';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { EscrowService } from '../../server/services/games/escrow.service.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { createOperator, writeHeaders, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

const run = promisify(execFile);

interface Row {
  id: string;
  user_id: string;
  currency: string;
  delta: string;
  balance_after: string;
  reason: string;
  ref_type: string | null;
  ref_id: string | null;
  idempotency_key: string | null;
  actor: string;
  created_us: string;
  meta: string | null;
  hash: string;
}

/**
 * The canonical encoding as docs/architecture.md gives it, written here independently of the database's function:
 * SHA-256 of the previous hash (32 zero bytes first) and the UTF-8 JSON array of the entry's fields.
 */
function entryHash(prev: Buffer, e: Row): Buffer {
  const s = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));
  const text =
    `[${e.id}, ${s(e.user_id)}, ${s(e.currency)}, ${e.delta}, ${e.balance_after}, ${s(e.reason)}, ${s(e.ref_type)}, ` +
    `${s(e.ref_id)}, ${s(e.idempotency_key)}, ${s(e.actor)}, ${e.created_us}, ${s(e.meta)}]`;
  return createHash('sha256').update(prev).update(text, 'utf8').digest();
}

describe('ledger hash chain (real PostgreSQL)', function () {
  this.timeout(90_000);
  let s: TestServer;
  let op: TestOperator;
  const em = () => s.orm.em.fork() as EntityManager;
  const sql = <T = any>(q: string, p: unknown[] = []) => em().execute<T[]>(q, p);
  /** Raw SQL through a `psql` process, as an operator (or an intruder) would edit the table. */
  const psql = (q: string) => run('psql', [s.config.DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-qc', q]);

  /** Every entry of a user in chain order, with its fields as the encoding writes them. */
  const entries = (userId: string) =>
    sql<Row>(
      `select l.id::text, l.user_id, l.currency, l.delta::text, l.balance_after::text, l.reason, l.ref_type, l.ref_id,
              l.idempotency_key, l.actor, (extract(epoch from l.created_at) * 1000000)::bigint::text as created_us,
              l.meta::text as meta, encode(l.hash, 'hex') as hash
         from ledger_entries l where l.user_id = ? order by l.currency, l.id`,
      [userId],
    );

  /** Recomputes a user's chains in JS: every stored hash must match; returns the head per currency. */
  async function verifyInJs(userId: string): Promise<Record<string, { id: number; hash: string }>> {
    const heads: Record<string, { id: number; hash: string }> = {};
    const prev = new Map<string, Buffer>();
    for (const e of await entries(userId)) {
      const h = entryHash(prev.get(e.currency) ?? Buffer.alloc(32), e);
      expect(h.toString('hex'), `entry ${e.id}`).to.equal(e.hash);
      prev.set(e.currency, h);
      heads[e.currency] = { id: Number(e.id), hash: e.hash };
    }
    return heads;
  }

  const slotSpins = async (userId: string, n: number) => {
    const sessionId = await s.services.games.openSession(userId, 'slot', `chain-${userId.slice(0, 8)}`);
    return Promise.all(
      Array.from({ length: n }, () => s.services.slot.spin({ userId, sessionId, machine: SLOT_V1, betPerLine: SLOT_V1.betLevels[0] })),
    );
  };

  before(async () => {
    s = await startTestServer('ledger_chain');
    await seedProducts(em(), DEMO_CATALOG);
    op = await createOperator(s, 'operator');
  });
  after(async () => {
    await s?.stop();
  });

  it('chains movements of every kind (sign-up, slot batch, crash escrow batch, purchase, adjustment): reconcile is clean and JS recomputes every hash', async () => {
    const a = await signup(s.http);
    const b = await signup(s.http);
    const bought = await s.http.post(
      '/api/shop/purchase',
      { sku: 'xp_booster', quantity: 1 },
      { token: a.access, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(bought.status, bought.text).to.equal(200);
    await Promise.all([slotSpins(a.userId, 6), slotSpins(b.userId, 6)]);

    const escrow = new EscrowService(s.orm, s.services.wallet, s.services.games, { now: () => new Date() }, undefined, {
      windowMs: 50,
      maxSize: 64,
      maxInFlight: 1,
    });
    const round = await s.services.crash.nextRound('chain-room');
    await Promise.all(
      [a, b].map(async (p) =>
        escrow.open({
          userId: p.userId,
          sessionId: await s.services.games.openSession(p.userId, 'crash', 'chain-room'),
          game: 'crash' as const,
          groupId: round.crashRoundId,
          amount: 100,
          fairness: { test: true },
          outcome: { auto_cashout: null },
        }),
      ),
    );

    const adjusted = await s.http.post(
      `/api/admin/players/${a.userId}/wallet/adjustments`,
      { currency: 'GEM', amount: 250, reason: 'goodwill', note: 'chain test' },
      { token: op.access, headers: writeHeaders() },
    );
    expect(adjusted.status, adjusted.text).to.equal(201);

    const reasons = (await sql<{ reason: string }>('select distinct reason from ledger_entries where user_id = ?', [a.userId])).map(
      (r) => r.reason,
    );
    expect(reasons).to.include.members(['signup_bonus', 'purchase', 'bet', 'admin_adjustment']);
    const report = await findDrift(em());
    expect(report.drift).to.deep.equal([]);
    expect(report.chains).to.be.at.least(3);
    for (const p of [a, b]) await verifyInJs(p.userId);
  });

  it('names exactly the wallet and the entry whose delta was changed with psql, and `npm run reconcile` exits 1 naming it', async () => {
    const a = await signup(s.http);
    const other = await signup(s.http);
    await slotSpins(a.userId, 4);
    await slotSpins(other.userId, 4);
    const rows = await entries(a.userId);
    const target = rows.find((r) => r.currency === 'GOLD' && r.reason === 'bet')!;

    await psql(`update ledger_entries set delta = delta - 1 where id = ${target.id}`);
    const report = await findDrift(em());
    const chainProblems = report.drift.filter((d) => d.problem === 'hash_mismatch' || d.problem === 'head_mismatch');
    expect(chainProblems).to.have.length(1);
    expect(chainProblems[0]).to.include({ userId: a.userId, currency: 'GOLD', problem: 'hash_mismatch', entryId: Number(target.id) });
    // the balance checks see it too (the sum and the balance_after chain), but only for this wallet
    expect(new Set(report.drift.map((d) => `${d.userId}:${d.currency}`))).to.deep.equal(new Set([`${a.userId}:GOLD`]));

    const env = {
      ...process.env,
      DATABASE_URL: s.config.DATABASE_URL,
      REDIS_URL: s.config.REDIS_URL,
      JWT_SECRET: s.config.JWT_SECRET,
      PAYMENT_WEBHOOK_SECRET: s.config.PAYMENT_WEBHOOK_SECRET,
    };
    const cli = await run(process.execPath, ['--import', 'tsx', 'server/cli/reconcile.ts'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(cli.code).to.equal(1);
    const hashLines = cli.stderr.split('\n').filter((l) => l.includes('hash_mismatch'));
    expect(hashLines).to.have.length(1);
    expect(hashLines[0]).to.include(`${a.userId} GOLD hash_mismatch: entry ${target.id}:`);

    await psql(`update ledger_entries set delta = delta + 1 where id = ${target.id}`);
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('names the entry when its delta, balance_after and the wallet balance were changed together so every sum still checks', async () => {
    const a = await signup(s.http);
    await slotSpins(a.userId, 3);
    const last = (await entries(a.userId)).filter((r) => r.currency === 'GOLD').at(-1)!;
    const step = Number(last.delta) > 0 ? 5 : -5;
    await psql(
      `begin;
       update ledger_entries set delta = delta + ${step}, balance_after = balance_after + ${step} where id = ${last.id};
       update wallets set balance = balance + ${step} where user_id = '${a.userId}' and currency = 'GOLD';
       commit;`,
    );
    const { drift } = await findDrift(em());
    expect(drift).to.have.length(1);
    expect(drift[0]).to.include({ userId: a.userId, currency: 'GOLD', problem: 'hash_mismatch', entryId: Number(last.id) });

    await psql(
      `begin;
       update ledger_entries set delta = delta - ${step}, balance_after = balance_after - ${step} where id = ${last.id};
       update wallets set balance = balance - ${step} where user_id = '${a.userId}' and currency = 'GOLD';
       commit;`,
    );
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('reports a stale head when the newest entry is deleted (sums fixed up); the entry put back with its own hash restores the chain', async () => {
    const a = await signup(s.http);
    await s.services.wallet.apply([credit({ userId: a.userId, currency: 'GOLD', amount: 40, reason: 'reward' })]);
    const [{ row, id, delta }] = await sql<{ row: string; id: string; delta: string }>(
      `select row_to_json(l.*)::text as row, id, delta from ledger_entries l where user_id = ? and currency = 'GOLD' order by id desc limit 1`,
      [a.userId],
    );
    await psql(
      `begin; delete from ledger_entries where id = ${id};
       update wallets set balance = balance - ${delta} where user_id = '${a.userId}' and currency = 'GOLD'; commit;`,
    );
    const { drift } = await findDrift(em());
    expect(drift).to.have.length(1);
    expect(drift[0]).to.include({ userId: a.userId, currency: 'GOLD', problem: 'head_mismatch' });

    // a changed copy is refused at its old id; the original is accepted
    const changed = JSON.stringify({ ...JSON.parse(row), delta: Number(delta) + 1 });
    const refused = await sql('insert into ledger_entries select * from json_populate_record(null::ledger_entries, ?::json)', [
      changed,
    ]).then(
      () => null,
      (err: Error) => err,
    );
    expect(refused?.message).to.match(/does not continue the hash chain/);
    await sql('insert into ledger_entries select * from json_populate_record(null::ledger_entries, ?::json)', [row]);
    await sql(`update wallets set balance = balance + ? where user_id = ? and currency = 'GOLD'`, [Number(delta), a.userId]);
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('keeps one valid chain under 50 concurrent movements on one wallet, alongside concurrent slot spins', async () => {
    const a = await signup(s.http);
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) =>
        s.services.wallet.apply([
          i % 2
            ? credit({ userId: a.userId, currency: 'GOLD', amount: 3, reason: 'reward', idempotencyKey: `cc:${a.userId}:${i}` })
            : debit({ userId: a.userId, currency: 'GOLD', amount: 2, reason: 'bet', idempotencyKey: `cc:${a.userId}:${i}` }),
        ]),
      ),
      slotSpins(a.userId, 10),
    ]);
    const heads = await verifyInJs(a.userId);
    expect((await entries(a.userId)).filter((e) => e.currency === 'GOLD').length).to.be.at.least(1 + 50 + 10);
    expect((await findDrift(em())).drift).to.deep.equal([]);
    const [w] = await sql<{ id: string; hash: string }>(
      `select ledger_head_id as id, encode(ledger_head, 'hex') as hash from wallets where user_id = ? and currency = 'GOLD'`,
      [a.userId],
    );
    expect({ id: Number(w.id), hash: w.hash }).to.deep.equal(heads.GOLD);
  });

  it('shows the head hash per currency in the wallet statement, equal to the newest entry’s hash recomputed in JS', async () => {
    const a = await signup(s.http);
    await slotSpins(a.userId, 2);
    await s.services.wallet.apply([credit({ userId: a.userId, currency: 'GEM', amount: 7, reason: 'reward' })]);
    const heads = await verifyInJs(a.userId);
    const res = await s.http.get('/api/wallet/ledger?limit=3&currency=GEM', { token: a.access });
    expect(res.status).to.equal(200);
    // the heads of both currencies, whatever the page's filter
    expect(res.body.heads).to.have.deep.members([
      { currency: 'GOLD', entry_id: heads.GOLD.id, hash: heads.GOLD.hash },
      { currency: 'GEM', entry_id: heads.GEM.id, hash: heads.GEM.hash },
    ]);
    expect(res.body.entries[0]).to.include({ id: heads.GEM.id, hash: heads.GEM.hash });
  });
});
