// The bench's mixed load test: `npm run loadtest -- --scenario mixed` (its own process, bots in worker threads) against
// one game process started as `npm start` starts it, on a fresh seeded bench database; the figures come from its report.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../loadtest/report.ts';
import { freshBenchDatabase } from './bench-db.ts';
import { startCluster } from './cluster.ts';
import { benchClusterEnv } from './processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The load test's totals and per-scenario latency for `players` bots over `seconds`. */
export async function mixedLoadTest(
  players: number,
  seconds: number,
  secrets: { JWT_SECRET: string; PAYMENT_WEBHOOK_SECRET: string },
): Promise<Pick<Report, 'totals' | 'by_scenario' | 'error_kinds' | 'enrollment' | 'timeline'>> {
  await freshBenchDatabase();
  // Redis database 3: the process figures use 1 and 2
  const cluster = await startCluster(1, benchClusterEnv(3, secrets), 'mixed');
  const dir = mkdtempSync(join(tmpdir(), 'neon-bench-mixed-'));
  try {
    console.log(`mixed load test: ${players} players for ${seconds} s against one game process …`);
    const args = ['--import', 'tsx', 'scripts/loadtest/cli.ts', '--scenario', 'mixed', '--players', String(players)];
    args.push('--duration', String(seconds), '--url', cluster.url, '--report', dir, '--accounts', join(dir, 'accounts.json'));
    // the run's own error-rate verdict is the bench's to print: exit 1 (too many errors) still leaves the report
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0 && code !== 1) throw new Error(`the load test exited with ${code}`);
    const { totals, by_scenario, error_kinds, enrollment, timeline } = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    return { totals, by_scenario, error_kinds, enrollment, timeline };
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
