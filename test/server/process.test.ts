import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { Client } from '@colyseus/sdk';
import { processEnv, root, spawnServer } from '../helpers/server-process.ts';
import { HttpClient, signup } from '../helpers/test-server.ts';

function runCli(script: string, env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', `server/cli/${script}`, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('server process', () => {
  it('serves, then on SIGTERM closes rooms and connections and exits 0', async function () {
    this.timeout(60_000);
    const { child, port, http, output, exited } = await spawnServer(await processEnv('proc'));
    try {
      expect((await http.get('/health')).status).to.equal(200);
      expect((await http.get('/ready')).status).to.equal(200);
      const u = await signup(http);
      const sdk = new Client(`http://127.0.0.1:${port}`);
      sdk.auth.token = u.access;
      const room = await sdk.joinOrCreate('hub');
      const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));

      child.kill('SIGTERM');
      const code = await exited;
      expect(code, output()).to.equal(0);
      expect(await left).to.equal(4001); // CloseCode.SERVER_SHUTDOWN
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses to start with invalid configuration, listing every problem at once', async () => {
    const env = await processEnv('badcfg', { PORT: 'eighty', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
    expect(res.status).to.equal(1);
    for (const key of ['PORT', 'JWT_SECRET', 'LOG_LEVEL']) expect(res.stderr).to.include(key);
  });

  it('npm run reconcile exits 0 on a consistent ledger and 1 after a balance is tampered with', async function () {
    this.timeout(60_000);
    const env = await processEnv('recon');
    const { MikroORM } = await import('@mikro-orm/postgresql');
    const { ormOptions } = await import('../../server/db/orm.config.ts');
    const orm = await MikroORM.init(ormOptions(env.DATABASE_URL, 2));
    try {
      const { createServices } = await import('../../server/services/index.ts');
      const { loadConfig } = await import('../../server/config/load.ts');
      const { Redis } = await import('ioredis');
      const redis = new Redis(env.REDIS_URL, { lazyConnect: true });
      const services = createServices({ config: loadConfig(env, {}), orm, redis, clock: { now: () => new Date() } });
      await services.auth.signup('recon_user', 'password123');
      redis.disconnect();

      const good = runCli('reconcile.ts', env);
      expect(good.status, good.stdout + good.stderr).to.equal(0);
      expect(good.stdout).to.match(/checked 2 wallets, 1 ledger entries and 1 hash chains/);

      await orm.em.fork().getConnection().execute(`update wallets set balance = balance + 1 where currency = 'GOLD'`);
      const bad = runCli('reconcile.ts', env);
      expect(bad.status).to.equal(1);
      expect(bad.stderr).to.match(/DRIFT .* GOLD sum_mismatch: balance 1001, ledger sum 1000/);
      await orm.em.fork().getConnection().execute(`update wallets set balance = balance - 1 where currency = 'GOLD'`);
    } finally {
      await orm.close(true);
    }
  });

  it('npm run admin:create creates an operator with a generated password that can log in', async function () {
    this.timeout(60_000);
    const env = await processEnv('admincli', { PORT: '0', HOST: '127.0.0.1' });
    const res = runCli('admin-create.ts', env, ['--username', 'ops_lead', '--role', 'operator']);
    expect(res.status, res.stderr).to.equal(0);
    const password = res.stdout.match(/password: (\S+)/)?.[1];
    expect(password).to.be.a('string').with.length.greaterThan(12);
    const usage = runCli('admin-create.ts', env, ['--username', 'x']);
    expect(usage.status).to.equal(2);

    const { startServer } = await import('../../server/bootstrap.ts');
    const { loadConfig } = await import('../../server/config/load.ts');
    const server = await startServer(loadConfig({ ...env, LOG_LEVEL: 'silent' }, {}));
    try {
      const login = await new HttpClient(server.url).post('/api/auth/login', { username: 'ops_lead', password });
      expect(login.status).to.equal(200);
      expect(login.body.user.role).to.equal('operator');
    } finally {
      await server.stop();
    }
  });
});
