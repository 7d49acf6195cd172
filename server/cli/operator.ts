import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { Redis } from 'ioredis';
import type { Config } from '../config/schema.ts';
import type { Role } from '../db/entities/user.entity.ts';
import { systemClock } from '../lib/clock.ts';
import { createServices } from '../services/index.ts';

/** A readable random password (about 96 bits). */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/** Creates an account with the given role and a generated password through the normal signup path. */
export async function createAccount(config: Config, orm: MikroORM, username: string, role: Role) {
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
  try {
    const { auth } = createServices({ config, orm, redis, clock: systemClock });
    const password = generatePassword();
    const result = await auth.signup(username, password, {}, { role });
    return { username: result.user.username, role, password };
  } finally {
    redis.disconnect();
  }
}

/** Appends credentials to a 0600 file in the local state directory, so a missed console line is not lost. */
export function saveCredentials(config: Config, line: string) {
  if (!config.NEON_STATE_DIR) return undefined;
  const file = join(config.NEON_STATE_DIR, 'operator-credentials.txt');
  writeFileSync(file, `${line}\n`, { flag: 'a', mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The development console's demo operator (role admin), created by the seed step outside production. */
export const DEMO_OPERATOR = 'demo_admin';

function demoOperatorFile(config: Config) {
  return config.NEON_STATE_DIR ? join(config.NEON_STATE_DIR, 'demo-operator.json') : undefined;
}

/** The demo operator's credentials kept in the local state directory, so every `npm start` can print them. */
export function readDemoOperator(config: Config): { username: string; password: string } | undefined {
  const file = demoOperatorFile(config);
  if (!file || !existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as { username: string; password: string };
}

/** Keeps the demo operator's credentials (a 0600 file in the state directory); false without a state directory. */
export function saveDemoOperator(config: Config, credentials: { username: string; password: string }): boolean {
  const file = demoOperatorFile(config);
  if (!file) return false;
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  chmodSync(file, 0o600);
  return true;
}
