import { startServer, type RunningServer } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config/load.ts';
import type { Config } from '../../server/config/schema.ts';
import { createLogger } from '../../server/lib/logger.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_CATALOG } from '../../server/db/seeders/demo-catalog.ts';
import { DEMO_EVENTS, DEMO_MISSIONS } from '../../server/db/seeders/demo-liveops.ts';
import { seedLiveOps, seedProducts } from '../../server/db/seeders/seed-data.ts';
import { freshDatabase } from './test-db.ts';
import { testEnv } from './test-env.ts';

export const TEST_SECRETS = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  PAYMENT_WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
};

export type Overrides = Record<string, string | number | boolean | undefined>;

/** A config for tests: its own database and Redis key prefix, port 0, fast password hashing, quiet logs. */
export async function testConfig(tag: string, overrides: Overrides = {}): Promise<Config> {
  return loadConfig(
    {
      NODE_ENV: 'test',
      DATABASE_URL: await freshDatabase(tag),
      REDIS_URL: testEnv.redisUrl,
      REDIS_PREFIX: `t:${testEnv.runId}:${tag}:`,
      PORT: 0,
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ARGON2_MEMORY_KIB: 1024,
      ARGON2_TIME_COST: 1,
      ...TEST_SECRETS,
      ...overrides,
    },
    {},
  );
}

export interface TestServer extends RunningServer {
  config: Config;
  http: HttpClient;
}

/** Boots the real server (PostgreSQL, Redis, Express, Colyseus) on a free port with a fresh database. */
export async function startTestServer(tag: string, overrides: Overrides = {}, opts: { clock?: Clock } = {}): Promise<TestServer> {
  const config = await testConfig(tag, overrides);
  const server = await startServer(config, { clock: opts.clock, logger: createLogger(config) });
  return { ...server, config, http: new HttpClient(server.url) };
}

/** `startTestServer` with the demo shop catalog and live-ops (events, missions) seeded, as `npm start` has them. */
export async function startSeededServer(tag: string, overrides: Overrides = {}): Promise<TestServer> {
  const s = await startTestServer(tag, overrides);
  await seedProducts(s.orm.em.fork() as EntityManager, DEMO_CATALOG);
  await seedLiveOps(s.orm.em.fork() as EntityManager, DEMO_EVENTS, DEMO_MISSIONS, new Date());
  return s;
}

/** Starts the server again on an existing test config (same database): a restart. */
export async function restartTestServer(config: Config): Promise<TestServer> {
  const server = await startServer(config, { logger: createLogger(config) });
  return { ...server, config, http: new HttpClient(server.url) };
}

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

/** A tiny JSON client over fetch for tests (real sockets, no app injection). */
export class HttpClient {
  constructor(readonly base: string) {}

  async request<T = any>(
    method: string,
    path: string,
    opts: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }

  get<T = any>(path: string, opts?: { token?: string; headers?: Record<string, string> }) {
    return this.request<T>('GET', path, opts);
  }
  post<T = any>(path: string, body?: unknown, opts: { token?: string; headers?: Record<string, string> } = {}) {
    return this.request<T>('POST', path, { ...opts, body });
  }
}

let seq = 0;
/** A unique valid username for this run. */
export function uniqueName(prefix = 'u'): string {
  return `${prefix}_${process.pid % 10000}_${++seq}`.slice(0, 20);
}

/** Signs up a new player and returns its tokens and id. */
export async function signup(http: HttpClient, username = uniqueName(), password = 'correct horse battery') {
  const res = await http.post('/api/auth/signup', { username, password });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return {
    username,
    password,
    userId: res.body.user.id as string,
    access: res.body.access_token as string,
    refresh: res.body.refresh_token as string,
  };
}
