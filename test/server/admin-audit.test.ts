import type { EntityManager } from '@mikro-orm/postgresql';
import { expect } from 'chai';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('admin audit log', () => {
  let s: TestServer;
  let admin: TestOperator;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('admin_audit');
    admin = await createOperator(s, 'admin');
  });
  after(async () => {
    await s?.stop();
  });

  const record = (action: string, extra: Record<string, unknown> = {}) =>
    s.services.audit.record(em(), {
      actor: { id: admin.id, username: admin.username, role: 'admin' },
      action,
      target: { type: 'player', id: 'p-1' },
      before: { note: null },
      after: { note: 'x' },
      result: 'ok',
      requestId: 'req-1',
      ...extra,
    });

  describe('append-only', () => {
    for (const [what, sql] of [
      ['UPDATE', `update audit_log set action = 'tampered'`],
      ['DELETE', `delete from audit_log`],
      ['TRUNCATE', `truncate audit_log`],
    ]) {
      it(`the database refuses ${what}`, async () => {
        await record('append.only');
        let error: unknown;
        try {
          await em().getConnection().execute(sql);
        } catch (err) {
          error = err;
        }
        expect(String(error)).to.match(/audit_log is append-only/);
        const [{ n }] = await em().getConnection().execute(`select count(*)::int as n from audit_log where action = 'append.only'`);
        expect(n).to.be.greaterThan(0);
      });
    }
  });

  describe('denied attempts', () => {
    it('a 403 from the guard writes a `denied` row naming the actor, the operation and the request', async () => {
      const viewer = await createOperator(s, 'viewer');
      const res = await s.http.get('/api/admin/audit', { token: viewer.access, headers: { 'user-agent': 'probe/1' } });
      expect(res.status).to.equal(403);
      const rows = await s.http.get(`/api/admin/audit?actor=${viewer.id}&result=denied`, { token: admin.access });
      expect(rows.status).to.equal(200);
      expect(rows.body.items).to.have.length(1);
      expect(rows.body.items[0]).to.include({
        actor_id: viewer.id,
        actor_name: viewer.username,
        actor_role: 'viewer',
        action: 'getAdminAudit',
        result: 'denied',
        error: 'auth/forbidden',
        request_id: res.body.request_id,
        user_agent: 'probe/1',
      });
    });

    it('a player token is recorded too', async () => {
      const u = await signup(s.http);
      expect((await s.http.get('/api/admin/audit', { token: u.access })).status).to.equal(403);
      const rows = await s.http.get(`/api/admin/audit?actor=${u.userId}`, { token: admin.access });
      expect(rows.body.items.map((r: { actor_role: string; result: string }) => [r.actor_role, r.result])).to.deep.equal([
        ['player', 'denied'],
      ]);
    });

    it('a failing audit insert does not fail the request: still 403', async () => {
      const viewer = await createOperator(s, 'viewer');
      const audit = s.services.audit;
      const original = audit.record;
      audit.record = async () => {
        throw new Error('audit insert failed');
      };
      try {
        const res = await s.http.get('/api/admin/audit', { token: viewer.access });
        expect(res.status).to.equal(403);
        expect(res.body.error).to.equal('auth/forbidden');
      } finally {
        audit.record = original;
      }
    });
  });

  describe('GET /api/admin/audit', () => {
    it('pages newest first with an opaque cursor', async () => {
      for (let i = 0; i < 7; i++) await record('paging.test', { target: { type: 'player', id: `t-${i}` } });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const q: string = `/api/admin/audit?action=paging.test&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await s.http.get(q, { token: admin.access });
        expect(res.status).to.equal(200);
        seen.push(...res.body.items.map((r: { target_id: string }) => r.target_id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor && pages < 10);
      // rows written within the same millisecond are ordered as written: compare with one page holding them all
      const all = await s.http.get('/api/admin/audit?action=paging.test&limit=50', { token: admin.access });
      expect(all.body.next_cursor).to.equal(null);
      expect(seen).to.deep.equal(all.body.items.map((r: { target_id: string }) => r.target_id));
      // newest first means the reverse of the order they were written, also for rows of the same millisecond
      expect(seen).to.deep.equal(['t-6', 't-5', 't-4', 't-3', 't-2', 't-1', 't-0']);
      expect(pages).to.equal(3);
    });

    it('filters by actor (id or username), action, target, result and time', async () => {
      const other = await createOperator(s, 'operator');
      await record('filter.test', {
        actor: { id: other.id, username: other.username, role: 'operator' },
        target: { type: 'player', id: 'f-1' },
      });
      await record('filter.test', { target: { type: 'player', id: 'f-2' }, result: 'failed', error: 'resource/not_found' });
      const q = async (query: string) =>
        (await s.http.get(`/api/admin/audit?action=filter.test&${query}`, { token: admin.access })).body.items.map(
          (r: { target_id: string }) => r.target_id,
        );
      expect(await q(`actor=${other.id}`)).to.deep.equal(['f-1']);
      expect(await q(`actor=${other.username.toUpperCase()}`)).to.deep.equal(['f-1']);
      expect(await q('target=f-2')).to.deep.equal(['f-2']);
      expect(await q('result=failed')).to.deep.equal(['f-2']);
      expect(await q(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).to.deep.equal([]);
      expect(await q(`to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).to.deep.equal(['f-2', 'f-1']);
    });

    it('answers 400 naming the field for a bad filter or cursor', async () => {
      for (const [query, field] of [
        ['result=maybe', 'query.result'],
        ['from=yesterday', 'query.from'],
        ['limit=0', 'query.limit'],
        ['cursor=not-a-cursor', 'query.cursor'],
      ]) {
        const res = await s.http.get(`/api/admin/audit?${query}`, { token: admin.access });
        expect(res.status, query).to.equal(400);
        expect(res.body.error).to.equal('request/invalid');
        expect(res.body.issues[0].path).to.equal(field);
      }
    });
  });

  describe('GET /api/admin/audit.csv', () => {
    it('streams the filtered log as CSV with a header row and quoted fields', async () => {
      await record('csv.test', { target: { type: 'player', id: 'c,1' }, userAgent: 'say "hi"\nbye', after: { a: 1 } });
      await record('csv.test', { target: { type: 'player', id: '=cmd()' } });
      const res = await s.http.get('/api/admin/audit.csv?action=csv.test', { token: admin.access });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/csv/);
      const lines = res.text.split('\r\n');
      expect(lines[0]).to.equal(
        'id,at,actor_id,actor_name,actor_role,action,target_type,target_id,before,after,result,error,request_id,idempotency_key,job_id,ip,user_agent',
      );
      expect(lines).to.have.length(4); // header, two rows (one holding a quoted newline is split here), final empty
      expect(res.text).to.include(`,"c,1","{""note"":null}","{""a"":1}",ok,`);
      expect(res.text).to.include(`,"say ""hi""\nbye"\r\n`);
      expect(res.text).to.include(`,'=cmd(),`);
    });

    it('refuses a role without audit:read', async () => {
      const viewer = await createOperator(s, 'viewer');
      expect((await s.http.get('/api/admin/audit.csv', { token: viewer.access })).status).to.equal(403);
    });
  });
});

describe('admin console migration', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('admin_migration');
  });
  after(async () => {
    await s?.stop();
  });

  it('is reversible: down drops the admin tables and the trigger, up brings them back append-only', async () => {
    const tables = async () =>
      (
        await s.orm.em
          .fork()
          .getConnection()
          .execute(
            `select table_name from information_schema.tables where table_name in ('audit_log', 'admin_idempotency_keys', 'admin_settings', 'player_notes') order by 1`,
          )
      ).map((r) => String(r.table_name));
    expect(await tables()).to.have.length(4);
    await s.orm.migrator.down({ to: 'Migration20261202123900_grant_results_camel_case' });
    expect(await tables()).to.deep.equal([]);
    await s.orm.migrator.up();
    expect(await tables()).to.deep.equal(['admin_idempotency_keys', 'admin_settings', 'audit_log', 'player_notes']);
    const conn = s.orm.em.fork().getConnection();
    await conn.execute(`insert into audit_log (id, at, action, result) values (gen_random_uuid(), now(), 'migration.test', 'ok')`);
    let error: unknown;
    await conn.execute(`delete from audit_log`).catch((err: unknown) => (error = err));
    expect(String(error)).to.match(/append-only/);
  });
});
