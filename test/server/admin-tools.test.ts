import { expect } from 'chai';
import { createOperator, type TestOperator } from '../helpers/admin.ts';
import { eventually } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** The room monitor and bull-board: behind the admin session (Bearer or cookie), 401 without one, 403 without the permission. */
describe('admin: room monitor and queues', function () {
  this.timeout(60_000);
  let s: TestServer;
  let viewer: TestOperator;
  let operator: TestOperator;
  let admin: TestOperator;
  const cookie = (token: string) => ({ cookie: `neon_admin_session=${token}` });

  before(async () => {
    s = await startTestServer('admin_tools');
    viewer = await createOperator(s, 'viewer');
    operator = await createOperator(s, 'operator');
    admin = await createOperator(s, 'admin');
  });
  after(async () => {
    await s?.stop();
  });

  it('serves the Colyseus monitor at /admin/monitor to monitor:use only', async () => {
    const bare = await fetch(`${s.url}/admin/monitor`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).to.deep.equal([301, '/admin/monitor/']);
    const page = await s.http.get('/admin/monitor/', { headers: cookie(operator.access) });
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.contain('text/html');
    const rooms = await s.http.get('/admin/monitor/api', { token: operator.access });
    expect(rooms.status).to.equal(200);
    expect(rooms.body).to.have.property('rooms');

    expect((await s.http.get('/admin/monitor/')).status).to.equal(401);
    const denied = await s.http.get('/admin/monitor/', { headers: cookie(viewer.access) });
    expect(denied.status).to.equal(403);
    expect(denied.body.error).to.equal('auth/forbidden');
    // the denial is recorded beside the answer, not before it
    const actions = await eventually(
      async () =>
        (await s.http.get(`/api/admin/audit?actor=${viewer.id}&result=denied`, { token: admin.access })).body.items.map(
          (r: { action: string }) => r.action,
        ) as string[],
      (a) => a.length > 0,
    );
    expect(actions).to.include('GET /admin/monitor/');
    const player = await signup(s.http);
    expect((await s.http.get('/admin/monitor/api', { token: player.access })).status).to.equal(403);
  });

  it('serves bull-board at /admin/queues to queues:use only, listing the shop and outbox queues', async () => {
    const page = await s.http.get('/admin/queues', { headers: cookie(operator.access) });
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('/admin/queues');
    const queues = await s.http.get('/admin/queues/api/queues', { headers: cookie(operator.access) });
    expect(queues.status).to.equal(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name)).to.include.members(['shop', 'outbox']);

    expect((await s.http.get('/admin/queues')).status).to.equal(401);
    expect((await s.http.get('/admin/queues/api/queues', { headers: cookie(viewer.access) })).status).to.equal(403);
  });
});
