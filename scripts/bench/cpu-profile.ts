// Summarises V8 .cpuprofile files (node --cpu-prof): self time by module (colyseus/schema, ws, mikro-orm, pg, our code,
// GC, …) and the top functions, so a profile of a saturated run reads as a short table.
//   node --import tsx scripts/bench/cpu-profile.ts DIR-or-FILE… [--top 25] [--window bench/results/slot-….json]
// --window keeps only the samples taken while the bench's players spun without pause (its slot.window_us).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a frame belongs to, from its script's URL. */
export function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (m) return m.at(-1)!.replace('node_modules/', '');
  const ours = url.match(/\/(server|rooms|domain|scripts)\//);
  return ours ? `ours: ${ours[1]}` : 'other';
}

/** Self time (ms) per module and per function over the given profiles. */
export function summarise(profiles: Profile[], window: [number, number] = [0, Number.POSITIVE_INFINITY]) {
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const p of profiles) {
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    let at = p.startTime;
    p.samples.forEach((id, i) => {
      at += p.timeDeltas[i] ?? 0;
      if (at < window[0] || at > window[1]) return;
      const ms = (p.timeDeltas[i] ?? 0) / 1000;
      const n = nodes.get(id)!;
      const { functionName, url, lineNumber } = n.callFrame;
      const mod = moduleOf(url, functionName);
      const fn = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(server|rooms|domain|scripts)\//, '$1/')}:${lineNumber + 1}` : ''}`;
      byModule.set(mod, (byModule.get(mod) ?? 0) + ms);
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
      total += ms;
    });
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { total, modules: sorted(byModule), functions: sorted(byFunction) };
}

function files(paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => join(p, f))
      : [p],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const top = Number(option('--top') ?? 25);
  const windowFile = option('--window');
  const window = windowFile
    ? (JSON.parse(readFileSync(windowFile, 'utf8')) as { slot: { window_us: [number, number] } }).slot.window_us
    : undefined;
  const paths = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  for (const file of files(paths)) {
    const s = summarise([JSON.parse(readFileSync(file, 'utf8')) as Profile], window);
    const pct = (ms: number) => `${((ms / s.total) * 100).toFixed(1).padStart(5)} %`;
    console.log(`\n${file}: ${(s.total / 1000).toFixed(1)} s sampled\n\nself time by module`);
    for (const [m, ms] of s.modules.slice(0, 15)) console.log(`  ${pct(ms)}  ${m}`);
    console.log(`\ntop ${top} functions by self time`);
    for (const [f, ms] of s.functions.slice(0, top)) console.log(`  ${pct(ms)}  ${f}`);
  }
}
