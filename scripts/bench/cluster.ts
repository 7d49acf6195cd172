// Game processes for the bench, as `npm start -- --processes N` runs them: `server/main.ts` on ports of
// their own, each with its PUBLIC_ADDRESS, sharing rooms through one Redis; the first one is the entry for HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Cluster {
  /** the first process: HTTP and matchmaking for every bot */
  url: string;
  urls: string[];
  /** the game processes' pids (for their CPU time) */
  pids: number[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

async function ready(url: string, child: ChildProcess, output: () => string) {
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`a bench server exited while starting:\n${output()}`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > until) throw new Error(`a bench server was not ready within 60 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts `n` game processes with `env` (plus PORT, PUBLIC_ADDRESS, INSTANCE_ID each); the BullMQ workers run in the
 * first. The node flags of the bench (e.g. a CPU profile from NEON_BENCH_NODE_ARGS) apply to them too.
 */
export async function startCluster(n: number, env: Record<string, string>, tag: string): Promise<Cluster> {
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  const stop = async () => {
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
      ),
    );
  };
  try {
    for (let i = 0; i < n; i++) {
      const port = await freePort();
      let out = '';
      const child = spawn(process.execPath, [...process.execArgv, 'server/main.ts', ...(i > 0 ? ['--no-banner'] : [])], {
        cwd: root,
        env: {
          ...env,
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_ADDRESS: `127.0.0.1:${port}`,
          INSTANCE_ID: `bench-${tag}-${i + 1}`,
          RUN_WORKERS: i === 0 ? 'true' : 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d) => {
        out = (out + d).slice(-20_000);
      });
      child.stderr!.on('data', (d) => {
        out = (out + d).slice(-20_000);
      });
      children.push(child);
      const url = `http://127.0.0.1:${port}`;
      await ready(url, child, () => out);
      urls.push(url);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: urls[0], urls, pids: children.map((c) => c.pid!), stop };
}
