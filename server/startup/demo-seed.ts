// The demo data `npm start` seeds idempotently: the demo shop catalog, events and missions, and on first run an admin
// operator and a demo player with generated passwords, printed and saved in the local state directory. Outside
// production it also creates the console's demo operator, whose password stays in the state directory (the banner
// prints it every start).
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/schema.ts';
import { User } from '../db/entities/index.ts';
import { DEMO_CATALOG } from '../db/seeders/demo-catalog.ts';
import { DEMO_EVENTS, DEMO_MISSIONS } from '../db/seeders/demo-liveops.ts';
import { seedLiveOps, seedProducts } from '../db/seeders/seed-data.ts';
import { CrashChainService } from '../services/games/crash-chain.service.ts';
import { createAccount, DEMO_OPERATOR, saveCredentials, saveDemoOperator } from '../cli/operator.ts';

/** Seeds what is missing; returns the lines to print and whether anything was added. */
export async function seedDemo(config: Config, orm: MikroORM): Promise<{ lines: string[]; changed: boolean }> {
  const em = orm.em.fork() as EntityManager;
  const out: string[] = [];
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
  if (products > 0) out.push(`seeded ${products} demo product(s)`);
  const liveops = await seedLiveOps(em, DEMO_EVENTS, DEMO_MISSIONS, new Date());
  if (liveops > 0) out.push(`seeded ${liveops} demo event(s) and mission(s)`);
  // the crash hash chain (a million SHA-256 links, about a second of CPU) is made here, not by the first crash table
  // of a running server, where it would stall every room of the process meanwhile; an existing chain is only read
  const chain = await new CrashChainService(orm, 'seed').publicChain();
  if (chain.roundsUsed === 0)
    out.push(`crash chain ready: ${chain.length.toLocaleString('en-US')} links, terminating hash ${chain.terminatingHash.slice(0, 16)}…`);
  const changed = products > 0 || liveops > 0 || created.length > 0;
  if (created.length === 0) return { lines: out, changed };
  const file = created.map((line) => saveCredentials(config, line)).pop();
  out.push(
    ['', '  First run: generated accounts (shown once)', ...created.map((l) => `    ${l}`), file ? `  Also saved to ${file}` : '', ''].join(
      '\n',
    ),
  );
  return { lines: out, changed };
}
