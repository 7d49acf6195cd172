import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { can, isOperatorRole, OPERATOR_ROLES, type Permission } from '../../domain/admin/rbac.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { seedProducts } from '../../server/db/seeders/seed-data.ts';
import { createOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type HttpClient, type TestServer } from '../helpers/test-server.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const ROLES = [...OPERATOR_ROLES, 'player'] as const;
type Role = (typeof ROLES)[number];

/** What a sample request may use: a player to act on, and a way to get a session of its own (for logout). */
interface Fixtures {
  playerId: string;
  /** a product (the demo catalog is seeded) and a ledger entry (the player's sign-up bonus) */
  productId: string;
  entryId: number;
  freshToken: (role: Role) => Promise<string>;
  /** the server's API, for samples that need a resource made first */
  http: HttpClient;
  /** the server's database, for samples that need a resource in a state the API does not reach directly */
  em: () => EntityManager;
  /** an admin job that stays PENDING (no worker runs its kind), and a way to make an ended one with a failed item */
  jobId: string;
  failedJob: () => Promise<string>;
}

/** One valid request for an admin operation. */
interface Sample {
  path: string;
  body?: unknown;
  /** use a session of its own instead of the role's shared one (the operation ends it) */
  token?: string;
}

/**
 * One valid sample request per admin operation, keyed `METHOD /documented/path`. Every authenticated admin operation in
 * /api/openapi.json must have one: add yours when you add a route.
 */
const SAMPLES: Record<string, (f: Fixtures, role: Role) => Sample | Promise<Sample>> = {
  'POST /api/admin/auth/logout': async (_f, role) => ({ path: '/api/admin/auth/logout', token: await _f.freshToken(role) }),
  'GET /api/admin/me': () => ({ path: '/api/admin/me' }),
  'GET /api/admin/audit': () => ({ path: '/api/admin/audit?limit=5' }),
  'GET /api/admin/audit.csv': () => ({ path: '/api/admin/audit.csv?action=none' }),
  'GET /api/admin/settings': () => ({ path: '/api/admin/settings' }),
  'PUT /api/admin/settings/writes': () => ({ path: '/api/admin/settings/writes', body: { enabled: true } }),
  'GET /api/admin/players/{id}/notes': (f) => ({ path: `/api/admin/players/${f.playerId}/notes` }),
  'GET /api/admin/players/{id}/limits': (f) => ({ path: `/api/admin/players/${f.playerId}/limits` }),
  'POST /api/admin/players/{id}/notes': (f) => ({ path: `/api/admin/players/${f.playerId}/notes`, body: { text: 'rbac sample' } }),
  'GET /api/admin/players': () => ({ path: '/api/admin/players?limit=5&sort=gold' }),
  'GET /api/admin/players/{id}': (f) => ({ path: `/api/admin/players/${f.playerId}` }),
  ...Object.fromEntries(
    ['ledger', 'sessions', 'rounds', 'purchases', 'inventory', 'rewards'].map((list) => [
      `GET /api/admin/players/{id}/${list}`,
      (f: Fixtures) => ({ path: `/api/admin/players/${f.playerId}/${list}?limit=5` }),
    ]),
  ),
  // a ban or a revocation ends the player's sessions: it acts on a player of its own, not the one whose token is used
  'POST /api/admin/players/{id}/ban': async (f) => ({
    path: `/api/admin/players/${await otherPlayer(f)}/ban`,
    body: { reason: 'rbac sample' },
  }),
  'POST /api/admin/players/{id}/unban': (f) => ({ path: `/api/admin/players/${f.playerId}/unban`, body: {} }),
  'POST /api/admin/players/{id}/sessions/revoke': async (f) => ({
    path: `/api/admin/players/${await otherPlayer(f)}/sessions/revoke`,
    body: {},
  }),
  'POST /api/admin/players/{id}/lockout/reset': (f) => ({ path: `/api/admin/players/${f.playerId}/lockout/reset`, body: {} }),
  'POST /api/admin/players/{id}/wallet/adjustments': (f) => ({
    path: `/api/admin/players/${f.playerId}/wallet/adjustments`,
    body: { currency: 'GEM', amount: 1, reason: 'goodwill', note: 'rbac sample' },
  }),
  'GET /api/admin/players/{id}/audit': (f) => ({ path: `/api/admin/players/${f.playerId}/audit?limit=5` }),
  'GET /api/admin/approvals': () => ({ path: '/api/admin/approvals?status=pending' }),
  'POST /api/admin/approvals/{id}/approve': async (f) => ({ path: `/api/admin/approvals/${await pendingAdjustment(f)}/approve`, body: {} }),
  'POST /api/admin/approvals/{id}/reject': async (f) => ({ path: `/api/admin/approvals/${await pendingAdjustment(f)}/reject`, body: {} }),
  'GET /api/admin/shop/products': () => ({ path: '/api/admin/shop/products?limit=5' }),
  'GET /api/admin/shop/products/{id}': (f) => ({ path: `/api/admin/shop/products/${f.productId}` }),
  'POST /api/admin/shop/products': (_f, role) => ({
    path: '/api/admin/shop/products',
    body: {
      sku: `rbac_${role}_${randomUUID().slice(0, 8)}`,
      name: 'RBAC sample',
      kind: 'item',
      price: 5,
      currency: 'GOLD',
      grants: {},
      active: false,
    },
  }),
  'PATCH /api/admin/shop/products/{id}': (f) => ({ path: `/api/admin/shop/products/${f.productId}`, body: { rank: 7 } }),
  'POST /api/admin/shop/products/{id}/active': (f) => ({ path: `/api/admin/shop/products/${f.productId}/active`, body: { active: true } }),
  'GET /api/admin/transactions': (f) => ({ path: `/api/admin/transactions?player=${f.playerId}` }),
  'GET /api/admin/transactions/{entryId}': (f) => ({ path: `/api/admin/transactions/${f.entryId}` }),
  'GET /api/admin/reconciliation': () => ({ path: '/api/admin/reconciliation?limit=5' }),
  'GET /api/admin/kpis/summary': () => ({ path: '/api/admin/kpis/summary' }),
  'GET /api/admin/kpis/series': () => ({ path: '/api/admin/kpis/series?metric=rounds&range=1h' }),
  'GET /api/admin/kpis/stream': () => ({ path: '/api/admin/kpis/stream?events=1' }),
  'GET /api/admin/economy': () => ({ path: '/api/admin/economy?currency=GEM' }),
  'GET /api/admin/economy/anomalies': () => ({ path: '/api/admin/economy/anomalies?min_rounds=10' }),
  'GET /api/admin/jobs': () => ({ path: '/api/admin/jobs?limit=5' }),
  'GET /api/admin/jobs/stream': () => ({ path: '/api/admin/jobs/stream?events=1' }),
  'GET /api/admin/jobs/{id}': (f) => ({ path: `/api/admin/jobs/${f.jobId}` }),
  'GET /api/admin/jobs/{id}/items': (f) => ({ path: `/api/admin/jobs/${f.jobId}/items?limit=5` }),
  'GET /api/admin/jobs/{id}/items.csv': (f) => ({ path: `/api/admin/jobs/${f.jobId}/items.csv?status=failed` }),
  'POST /api/admin/jobs/{id}/cancel': (f) => ({ path: `/api/admin/jobs/${f.jobId}/cancel`, body: {} }),
  'POST /api/admin/jobs/{id}/retry': async (f) => ({ path: `/api/admin/jobs/${await f.failedJob()}/retry`, body: {} }),
  'GET /api/admin/operations': () => ({ path: '/api/admin/operations?limit=5' }),
  'GET /api/admin/operations/{id}': async (f) => ({ path: `/api/admin/operations/${await operationAt(f, 'draft')}` }),
  'POST /api/admin/operations': (f) => ({ path: '/api/admin/operations', body: tagOperation(f) }),
  'POST /api/admin/operations/{id}/preview': async (f) => ({
    path: `/api/admin/operations/${await operationAt(f, 'draft')}/preview`,
    body: {},
  }),
  'POST /api/admin/operations/{id}/shadow': async (f, role) => ({
    path: `/api/admin/operations/${await operationAt(f, 'draft', can(role, 'operations:write'))}/shadow`,
    body: {},
  }),
  'POST /api/admin/operations/{id}/apply': async (f, role) => ({
    path: `/api/admin/operations/${await operationAt(f, 'shadowed', can(role, 'operations:apply'))}/apply`,
    body: { confirm_count: 1 },
  }),
  'POST /api/admin/operations/{id}/undo': async (f, role) => ({
    path: `/api/admin/operations/${await operationAt(f, 'applied', can(role, 'operations:apply'))}/undo`,
    body: {},
  }),
  'GET /api/admin/segments': () => ({ path: '/api/admin/segments?limit=5' }),
  'POST /api/admin/segments': (_f, role) => ({
    path: '/api/admin/segments',
    body: { name: `rbac ${role} ${randomUUID().slice(0, 8)}`, rule: { fact: 'level', min: 2 } },
  }),
  'POST /api/admin/segments/preview': () => ({ path: '/api/admin/segments/preview', body: { rule: { fact: 'level', min: 2 } } }),
  'GET /api/admin/segments/{id}': async (f) => ({ path: `/api/admin/segments/${await newSegment(f)}` }),
  'GET /api/admin/segments/{id}/preview': async (f) => ({ path: `/api/admin/segments/${await newSegment(f)}/preview` }),
  'PUT /api/admin/segments/{id}': async (f) => ({
    path: `/api/admin/segments/${await newSegment(f)}`,
    body: { name: `rbac edit ${randomUUID().slice(0, 8)}`, rule: { fact: 'level', max: 9 } },
  }),
  'DELETE /api/admin/segments/{id}': async (f) => ({ path: `/api/admin/segments/${await newSegment(f)}` }),
  'GET /api/admin/tags': () => ({ path: '/api/admin/tags' }),
  'GET /api/admin/players/{id}/tags': (f) => ({ path: `/api/admin/players/${f.playerId}/tags` }),
  'PUT /api/admin/players/{id}/tags/{tag}': (f) => ({ path: `/api/admin/players/${f.playerId}/tags/rbac` }),
  'DELETE /api/admin/players/{id}/tags/{tag}': (f) => ({ path: `/api/admin/players/${f.playerId}/tags/rbac` }),
  'POST /api/admin/imports': (f) => ({
    path: '/api/admin/imports',
    body: { kind: 'player_tags', filename: 'rbac.csv', rows: [{ user_id: f.playerId, tag: 'rbac', action: 'add' }] },
  }),
  'GET /api/admin/imports': () => ({ path: '/api/admin/imports?limit=5' }),
  'GET /api/admin/imports/{id}': async (f) => ({ path: `/api/admin/imports/${await validatedImport(f)}` }),
  'GET /api/admin/imports/{id}/errors.csv': async (f) => ({ path: `/api/admin/imports/${await validatedImport(f)}/errors.csv` }),
  'POST /api/admin/imports/{id}/apply': async (f) => ({
    path: `/api/admin/imports/${await validatedImport(f, 'products')}/apply`,
    body: {},
  }),
  'GET /api/admin/notifications': () => ({ path: '/api/admin/notifications?limit=5' }),
  'GET /api/admin/notifications/{id}': async (f) => ({ path: `/api/admin/notifications/${await scheduledNotification(f)}` }),
  'POST /api/admin/notifications': (f) => ({ path: '/api/admin/notifications', body: notificationDraft(f) }),
  'POST /api/admin/notifications/{id}/cancel': async (f) => ({
    path: `/api/admin/notifications/${await scheduledNotification(f)}/cancel`,
    body: {},
  }),
  'POST /api/admin/notifications/{id}/retry': async (f) => {
    const id = await scheduledNotification(f);
    await f.em().execute(`update notifications set status = 'failed' where id = ?`, [id]);
    return { path: `/api/admin/notifications/${id}/retry`, body: {} };
  },
  ...contentSamples('events', { type: 'limited' }),
  ...contentSamples('missions', { period: 'daily' }),
};

/** A new segment, saved by an admin of its own (so any role may read, edit or delete it). */
async function newSegment(f: Fixtures): Promise<string> {
  const res = await f.http.post(
    '/api/admin/segments',
    { name: `rbac fixture ${randomUUID().slice(0, 8)}`, rule: { fact: 'level', min: 1 } },
    { token: await f.freshToken('admin'), headers: { 'idempotency-key': randomUUID() } },
  );
  if (res.status !== 201) throw new Error(`segment fixture: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** A draft operation adding a tag to the fixture player. */
function tagOperation(f: Fixtures) {
  return { kind: 'tag_add', params: { tag: 'rbac' }, target: { type: 'list', players: [{ user_id: f.playerId }] } };
}

/**
 * An operation of its own (made by an admin of its own), taken to `status` through the API; when the role is not
 * `allowed` the step, any id (the guard answers before the operation is read, and no job is waited for).
 */
async function operationAt(f: Fixtures, status: 'draft' | 'shadowed' | 'applied', allowed = true): Promise<string> {
  if (!allowed) return randomUUID();
  const token = await f.freshToken('admin');
  const write = async (path: string, body: unknown, expected: number) => {
    const res = await f.http.post(path, body, { token, headers: { 'idempotency-key': randomUUID() } });
    if (res.status !== expected) throw new Error(`${path}: ${res.status} ${res.text}`);
    return res.body as { id: string };
  };
  const until = async (id: string, wanted: string) => {
    for (let i = 0; i < 100 && (await f.http.get(`/api/admin/operations/${id}`, { token })).body.status !== wanted; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const { id } = await write('/api/admin/operations', tagOperation(f), 201);
  if (status === 'draft') return id;
  await write(`/api/admin/operations/${id}/shadow`, {}, 202);
  await until(id, 'shadowed');
  if (status === 'shadowed') return id;
  await write(`/api/admin/operations/${id}/apply`, { confirm_count: 1 }, 202);
  await until(id, 'applied');
  return id;
}

/** A validated import (tagging the fixture player, or a new inactive product), uploaded by an operator of its own. */
async function validatedImport(f: Fixtures, kind: 'player_tags' | 'products' = 'player_tags'): Promise<string> {
  const rows =
    kind === 'products'
      ? [{ sku: `rbac_imp_${randomUUID().slice(0, 8)}`, name: 'RBAC import', kind: 'item', price: '5', currency: 'GOLD', active: 'false' }]
      : [{ user_id: f.playerId, tag: 'rbac', action: 'add' }];
  const res = await f.http.post(
    '/api/admin/imports',
    { kind, filename: 'rbac.csv', rows },
    { token: await f.freshToken('admin'), headers: { 'idempotency-key': randomUUID() } },
  );
  if (res.status !== 201) throw new Error(`import: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** A notification to the fixture player, an hour from now. */
function notificationDraft(f: Fixtures) {
  const at = new Date(Date.now() + 3_600_000).toISOString();
  return { title: 'RBAC sample', body: 'rbac sample', target: { type: 'list', user_ids: [f.playerId] }, scheduled_at: at };
}

/** A scheduled notification, created by an operator of its own (so any role may act on it). */
async function scheduledNotification(f: Fixtures): Promise<string> {
  const res = await f.http.post('/api/admin/notifications', notificationDraft(f), {
    token: await f.freshToken('admin'),
    headers: { 'idempotency-key': randomUUID() },
  });
  if (res.status !== 201) throw new Error(`notification: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** The samples of event or mission authoring: reads of one made once, edits of one made for the call. */
function contentSamples(kind: 'events' | 'missions', fields: Record<string, unknown>): typeof SAMPLES {
  const base = `/api/admin/${kind}`;
  const body = () => ({
    code: `rbac_${randomUUID().slice(0, 8)}`,
    name: 'RBAC sample',
    condition: { metric: 'rounds', target: 3 },
    reward: { gold: 5 },
    ...fields,
  });
  let shared: Promise<string> | undefined;
  const make = async (f: Fixtures) => {
    const res = await f.http.post(base, body(), { token: await f.freshToken('operator'), headers: { 'idempotency-key': randomUUID() } });
    if (res.status !== 201) throw new Error(`${kind} sample: ${res.status} ${res.text}`);
    return res.body.id as string;
  };
  const one = (f: Fixtures) => (shared ??= make(f));
  return {
    [`GET ${base}`]: () => ({ path: `${base}?limit=5` }),
    [`GET ${base}/{id}`]: async (f) => ({ path: `${base}/${await one(f)}` }),
    [`GET ${base}/{id}/revisions`]: async (f) => ({ path: `${base}/${await one(f)}/revisions` }),
    [`GET ${base}/{id}/qualifies`]: async (f) => ({ path: `${base}/${await one(f)}/qualifies` }),
    [`POST ${base}`]: () => ({ path: base, body: body() }),
    [`PATCH ${base}/{id}`]: async (f) => ({ path: `${base}/${await make(f)}`, body: { rank: 7 } }),
    [`POST ${base}/{id}/schedule`]: async (f) => ({ path: `${base}/${await make(f)}/schedule`, body: { starts_at: null, ends_at: null } }),
    [`POST ${base}/{id}/publish`]: async (f) => ({ path: `${base}/${await make(f)}/publish` }),
    [`POST ${base}/{id}/unpublish`]: async (f) => ({ path: `${base}/${await make(f)}/unpublish` }),
  };
}

/** A new player's id (from the subject of its access token). */
async function otherPlayer(f: Fixtures): Promise<string> {
  const token = await f.freshToken('player');
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
}

/** A wallet adjustment above the approval threshold, requested by an operator of its own (so any role may decide it). */
async function pendingAdjustment(f: Fixtures): Promise<string> {
  const res = await f.http.post(
    `/api/admin/players/${f.playerId}/wallet/adjustments`,
    { currency: 'GOLD', amount: 1_000_000, reason: 'compensation' },
    { token: await f.freshToken('admin'), headers: { 'idempotency-key': randomUUID() } },
  );
  if (res.status !== 202) throw new Error(`pending adjustment: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** Admin operations anyone may call (no token): the log-in itself. */
const PUBLIC = ['POST /api/admin/auth/login', 'POST /api/admin/auth/refresh'];

interface Operation {
  tags?: string[];
  security?: unknown[];
  responses: Record<string, unknown>;
  'x-permission'?: Permission;
}

/** Every admin operation × every role: 2xx when the RBAC table allows it, 403 otherwise (derived from `can()`). */
describe('admin RBAC matrix', () => {
  let s: TestServer;
  let ops: Array<{ name: string; method: string; op: Operation }> = [];
  const tokens = {} as Record<Role, string>;
  const fixtures = {} as Fixtures;
  before(async () => {
    s = await startTestServer('admin_rbac');
    const doc = (await s.http.get('/api/openapi.json')).body as { paths: Record<string, Partial<Record<string, Operation>>> };
    ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((m) => {
        const op = item[m];
        return op?.tags?.includes('admin') ? [{ name: `${m.toUpperCase()} ${path}`, method: m.toUpperCase(), op }] : [];
      }),
    );
    const player = await signup(s.http);
    fixtures.playerId = player.userId;
    fixtures.http = s.http;
    fixtures.em = () => s.orm.em.fork() as EntityManager;
    const em = s.orm.em.fork() as EntityManager;
    await seedProducts(em, DEMO_CATALOG);
    fixtures.productId = (await em.execute<{ id: string }[]>('select id from products order by rank limit 1'))[0].id;
    fixtures.entryId = Number(
      (await em.execute<{ id: string }[]>('select id from ledger_entries where user_id = ?', [player.userId]))[0].id,
    );
    for (const role of OPERATOR_ROLES) tokens[role] = (await createOperator(s, role)).access;
    tokens.player = player.access;
    fixtures.freshToken = async (role) => (role === 'player' ? (await signup(s.http)).access : (await createOperator(s, role)).access);
    const newJob = () =>
      em.fork().transactional(async (tx) => {
        const by = { id: player.userId, username: player.username };
        const job = await s.services.jobs.create(tx, {
          kind: 'rbac_sample',
          params: {},
          createdBy: by,
          items: [{ userId: null, payload: {} }],
        });
        return job.id;
      });
    fixtures.jobId = await newJob();
    fixtures.failedJob = async () => {
      const id = await newJob();
      await em.execute(`update admin_job_items set status = 'failed', error = 'rbac sample' where job_id = ?`, [id]);
      await em.execute(`update admin_jobs set status = 'FAILED', failed = 1 where id = ?`, [id]);
      return id;
    };
  });
  after(async () => {
    await s?.stop();
  });

  /** Whether the RBAC table lets `role` call `op`: its permission, or (for operations without one) any operator. */
  const allowed = (op: Operation, role: Role) => (op['x-permission'] ? can(role, op['x-permission']) : isOperatorRole(role));

  it('has a sample request for every authenticated admin operation (add one for each new route)', () => {
    expect(ops.length).to.be.greaterThan(5);
    const missing = ops.filter((o) => !PUBLIC.includes(o.name) && !SAMPLES[o.name]).map((o) => o.name);
    expect(missing, 'admin operations without a sample in SAMPLES').to.deep.equal([]);
    const stale = Object.keys(SAMPLES).filter((name) => !ops.some((o) => o.name === name));
    expect(stale, 'samples of operations that no longer exist').to.deep.equal([]);
  });

  it('documents the log-in operations as public and every other admin operation as authenticated, 401 and 403', () => {
    for (const { name, op } of ops) {
      if (PUBLIC.includes(name)) expect(op.security, name).to.deep.equal([]);
      else {
        expect(op.security, name).to.deep.equal([{ bearerAuth: [] }]);
        expect(op.responses, name).to.include.keys('401', '403');
      }
    }
  });

  it('answers 2xx where the table allows the role and 403 auth/forbidden where it does not', async function () {
    // every admin operation as every role, one request at a time: about 500 requests, some making their own fixture
    this.timeout(180_000);
    // some samples run jobs first (an operation shadowed or applied before its apply or undo)
    this.timeout(120_000);
    const mismatches: string[] = [];
    let checked = 0;
    for (const { name, method, op } of ops.filter((o) => !PUBLIC.includes(o.name))) {
      for (const role of ROLES) {
        const sample = await SAMPLES[name](fixtures, role);
        const res = await s.http.request(method, sample.path, {
          token: sample.token ?? tokens[role],
          body: sample.body,
          headers: method === 'GET' ? {} : { 'idempotency-key': randomUUID() },
        });
        const expected = allowed(op, role) ? '2xx' : '403';
        const got = res.status >= 200 && res.status < 300 ? '2xx' : String(res.status);
        if (got !== expected || (expected === '403' && res.body?.error !== 'auth/forbidden')) {
          mismatches.push(`${name} as ${role}: expected ${expected}, got ${res.status} ${res.text.slice(0, 120)}`);
        }
        checked++;
      }
    }
    expect(mismatches).to.deep.equal([]);
    expect(checked).to.equal((ops.length - PUBLIC.length) * ROLES.length);
  });
});
