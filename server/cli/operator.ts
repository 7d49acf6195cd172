import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
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
