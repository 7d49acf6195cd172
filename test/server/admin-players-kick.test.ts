import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { SIGNED_OUT_CLOSE_CODE } from '../../domain/realtime/kick.ts';
import { ormOptions } from '../../server/db/orm.config.ts';
import { joinAs } from '../helpers/room-client.ts';
import { endServerProcess, processEnv, spawnServer, type ServerProcess } from '../helpers/server-process.ts';
import { signup, uniqueName } from '../helpers/test-server.ts';

/** A ban on one process closes the player's connections on another (the kick travels over Redis presence). */
describe('admin players: a ban kicks across processes', function () {
  this.timeout(60_000);
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  after(async () => {
    await endServerProcess(a);
    await endServerProcess(b);
  });

  it('a player seated in the slot room of process B is disconnected within 1 s of a ban made on process A', async () => {
    const env = await processEnv('adminkick');
    a = await spawnServer({ ...env, INSTANCE_ID: 'kick-a' });
    b = await spawnServer({ ...env, INSTANCE_ID: 'kick-b' });
    const operator = await signup(a.http, uniqueName('op'));
    const orm = await MikroORM.init(ormOptions(env.DATABASE_URL, 1));
    await (orm.em.fork() as EntityManager).execute(`update users set role = 'operator' where id = ?`, [operator.userId]);
    await orm.close(true);
    const login = await a.http.post('/api/admin/auth/login', { username: operator.username, password: operator.password });
    expect(login.status, login.text).to.equal(200);

    const p = await signup(a.http);
    const slot = await joinAs(b.url, p.access, 'slot');
    const hub = await joinAs(b.url, p.access, 'hub');
    const closed = (room: typeof slot) => new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
    const slotLeft = closed(slot);
    const hubLeft = closed(hub);
    const t0 = Date.now();
    const ban = await a.http.post(
      `/api/admin/players/${p.userId}/ban`,
      { reason: 'cross-process' },
      { token: login.body.access_token, headers: { 'idempotency-key': randomUUID() } },
    );
    expect(ban.status, ban.text).to.equal(200);
    expect(await Promise.all([slotLeft, hubLeft])).to.deep.equal([SIGNED_OUT_CLOSE_CODE, SIGNED_OUT_CLOSE_CODE]);
    expect(Date.now() - t0).to.be.lessThan(1000);
  });
});
