import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freshDatabase } from './test-db.ts';
import { testEnv } from './test-env.ts';
import { HttpClient, TEST_SECRETS } from './test-server.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment a real server process gets: its own database, the run's Redis, test secrets. */
export async function processEnv(tag: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    DATABASE_URL: await freshDatabase(tag),
    REDIS_URL: testEnv.redisUrl,
    REDIS_PREFIX: `t:${testEnv.runId}:${tag}:`,
    LOG_LEVEL: 'warn',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    ...TEST_SECRETS,
    ...extra,
  };
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  http: HttpClient;
  output: () => string;
  /** what the process wrote to stderr alone (pino logs go to stdout) */
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `server/main.ts` as a real process and waits until it prints its URL. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const t = setInterval(() => {
      const m = out.match(/running on http:\/\/localhost:(\d+)/);
      if (m) {
        clearInterval(t);
        resolve(Number(m[1]));
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(t);
        reject(new Error(`server exited early:\n${out}`));
      }
    }, 50);
  });
  const url = `http://127.0.0.1:${port}`;
  return { child, port, url, http: new HttpClient(url), output: () => out, stderr: () => err, exited };
}

/** A port nobody listens on right now (the server binds it a moment later). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** True while the process has neither exited nor been killed. */
export function running(server: ServerProcess | undefined): server is ServerProcess {
  return !!server && server.child.exitCode === null && server.child.signalCode === null;
}

/**
 * Ends a server process in an `after` hook: SIGTERM and up to `graceMs` for its graceful stop, then SIGKILL
 * (`graceMs` 0: SIGKILL at once). Safe to call on a process that is already gone.
 */
export async function endServerProcess(server: ServerProcess | undefined, graceMs = 15_000): Promise<void> {
  if (!running(server)) return;
  if (graceMs > 0) {
    server.child.kill('SIGTERM');
    await Promise.race([server.exited, new Promise((r) => setTimeout(r, graceMs))]);
  }
  if (running(server)) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}
