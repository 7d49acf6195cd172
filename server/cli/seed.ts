// Seeds demo data idempotently (run by `npm start`): the demo shop catalog, and on first run an admin operator and
// a demo player with generated passwords, printed and saved in the local state directory. Outside production it also
// creates the console's demo operator, whose password stays in the state directory (the banner prints it every start).
import { User } from '../db/entities/index.ts';
import { DEMO_CATALOG } from '../db/seeders/demo-catalog.ts';
import { DEMO_EVENTS, DEMO_MISSIONS } from '../db/seeders/demo-liveops.ts';
import { seedLiveOps, seedProducts } from '../db/seeders/seed-data.ts';
import { CrashChainService } from '../services/games/crash-chain.service.ts';
import { runCli } from './cli-context.ts';
import { createAccount, DEMO_OPERATOR, saveCredentials, saveDemoOperator } from './operator.ts';

await runCli(async ({ config, orm, em }) => {
  const created: string[] = [];
  if ((await em.count(User, { role: 'admin' })) === 0) {
    const a = await createAccount(config, orm, 'admin', 'admin');
    created.push(`admin console: username ${a.username}  password ${a.password}`);
  }
  if (config.NODE_ENV !== 'production' && (await em.count(User, { usernameKey: 'demo' })) === 0) {
    const d = await createAccount(config, orm, 'demo', 'player');
    created.push(`demo player:   username ${d.username}  password ${d.password}`);
  }
  if (config.NODE_ENV !== 'production' && config.NEON_STATE_DIR && (await em.count(User, { usernameKey: DEMO_OPERATOR })) === 0) {
    const o = await createAccount(config, orm, DEMO_OPERATOR, 'admin');
    saveDemoOperator(config, { username: o.username, password: o.password });
  }
  const products = await seedProducts(em, DEMO_CATALOG);
  if (products > 0) console.log(`seeded ${products} demo product(s)`);
  const liveops = await seedLiveOps(em, DEMO_EVENTS, DEMO_MISSIONS, new Date());
  if (liveops > 0) console.log(`seeded ${liveops} demo event(s) and mission(s)`);
  // the crash hash chain (a million SHA-256 links, about a second of CPU) is made here, not by the first crash table
  // of a running server, where it would stall every room of the process meanwhile
  const chain = await new CrashChainService(orm, 'seed').publicChain();
  if (chain.roundsUsed === 0)
    console.log(
      `crash chain ready: ${chain.length.toLocaleString('en-US')} links, terminating hash ${chain.terminatingHash.slice(0, 16)}…`,
    );
  if (created.length === 0) return;
  const file = created.map((line) => saveCredentials(config, line)).pop();
  console.log(
    ['', '  First run: generated accounts (shown once)', ...created.map((l) => `    ${l}`), file ? `  Also saved to ${file}` : '', ''].join(
      '\n',
    ),
  );
});
