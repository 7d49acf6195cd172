// A spin's (or a crash bet's or cash-out's) phases over a measured window, read from the server's /metrics
// (slot_spin_phase_seconds{phase}, crash_bet_phase_seconds{phase}, crash_cashout_phase_seconds{phase}): the bucket counts at the window's end minus those at
// its start, and each phase's p50 / p99 interpolated inside its bucket.

export const PHASES = ['mailbox', 'queue', 'lock', 'write', 'commit', 'reply', 'total'] as const;
export type Phase = (typeof PHASES)[number];

/** Cumulative bucket counts per phase: [upper bound in seconds, count ≤ it]. */
export type PhaseBuckets = Record<string, Array<[number, number]>>;

/** The phase histograms of the servers at `urls`, summed. */
export async function scrapePhases(urls: string[], metric = 'slot_spin_phase_seconds'): Promise<PhaseBuckets> {
  const bucket = new RegExp(`^${metric}_bucket\\{le="([^"]+)",phase="(\\w+)"\\} (\\d+)$`, 'gm');
  const out: PhaseBuckets = {};
  for (const url of urls) {
    const text = await fetch(`${url}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    for (const m of text.matchAll(bucket)) {
      const le = m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]);
      const rows = (out[m[2]] ??= []);
      const row = rows.find((r) => r[0] === le);
      if (row) row[1] += Number(m[3]);
      else rows.push([le, Number(m[3])]);
    }
  }
  return out;
}

/** p50 and p99 (ms) of each phase between two scrapes. */
export function phaseQuantiles(before: PhaseBuckets, after: PhaseBuckets): Record<Phase, { p50: number; p99: number; n: number }> {
  const out = {} as Record<Phase, { p50: number; p99: number; n: number }>;
  for (const phase of PHASES) {
    const a = after[phase] ?? [];
    const b = new Map(before[phase] ?? []);
    const cum = a.map(([le, c]) => [le, c - (b.get(le) ?? 0)] as [number, number]).sort((x, y) => x[0] - y[0]);
    const n = cum.at(-1)?.[1] ?? 0;
    out[phase] = { p50: quantile(cum, 0.5), p99: quantile(cum, 0.99), n };
  }
  return out;
}

/** The `q` quantile (ms) of cumulative buckets, linear inside the bucket it falls in (the last finite bound for +Inf). */
function quantile(cum: Array<[number, number]>, q: number): number {
  const n = cum.at(-1)?.[1] ?? 0;
  if (n === 0) return 0;
  const want = q * n;
  let lo = 0;
  let below = 0;
  for (const [le, c] of cum) {
    if (c >= want) {
      if (!Number.isFinite(le)) return round(lo * 1000);
      const f = c > below ? (want - below) / (c - below) : 1;
      return round((lo + (le - lo) * f) * 1000);
    }
    lo = le;
    below = c;
  }
  return round(lo * 1000);
}

const round = (ms: number) => Math.round(ms * 100) / 100;
