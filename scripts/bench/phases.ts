// A spin's (or a crash bet's or cash-out's) phases over a measured window, read from the server's /metrics
// (slot_spin_phase_seconds{phase}, crash_bet_phase_seconds{phase}, crash_cashout_phase_seconds{phase}): the bucket counts at the window's end minus those at
// its start, and each phase's p50 / p99 interpolated inside its bucket.

export const PHASES = ['mailbox', 'queue', 'lock', 'write', 'commit', 'reply', 'total'] as const;
export type Phase = (typeof PHASES)[number];

/** Cumulative bucket counts per phase: [upper bound in seconds, count ≤ it]. */
export type PhaseBuckets = Record<string, Array<[number, number]>>;

/** The /metrics text of each server at `urls` ('' for one that did not answer). */
export function scrapeMetrics(urls: string[]): Promise<string[]> {
  return Promise.all(
    urls.map((url) =>
      fetch(`${url}/metrics`).then(
        (r) => r.text(),
        () => '',
      ),
    ),
  );
}

/**
 * The phase histograms of the servers at `urls` (or in their scraped `texts`), summed, keyed by the value of `label`;
 * with `where`, only the series whose other labels have those values (e.g. one route of the HTTP phases).
 */
export async function scrapePhases(
  urls: string[] | { texts: string[] },
  metric = 'slot_spin_phase_seconds',
  label = 'phase',
  where: Record<string, string> = {},
): Promise<PhaseBuckets> {
  const texts = Array.isArray(urls) ? await scrapeMetrics(urls) : urls.texts;
  const bucket = new RegExp(`^${metric}_bucket\\{(.*)\\} (\\d+)$`, 'gm');
  const out: PhaseBuckets = {};
  for (const text of texts) {
    for (const m of text.matchAll(bucket)) {
      const labels = Object.fromEntries([...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      const key = labels[label];
      if (key === undefined || Object.entries(where).some(([k, v]) => labels[k] !== v)) continue;
      const le = labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(labels.le);
      const rows = (out[key] ??= []);
      const row = rows.find((r) => r[0] === le);
      if (row) row[1] += Number(m[2]);
      else rows.push([le, Number(m[2])]);
    }
  }
  return out;
}

/**
 * A server's event-loop delay p99 and max (ms) from its scraped /metrics: Node's default metrics measure them since the
 * previous scrape, so a scrape at a window's end gives the window's when one was taken at its start.
 */
export function loopDelayOf(text: string): { p99: number; max: number } {
  const get = (name: string) => round(Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN) * 1000);
  return { p99: get('nodejs_eventloop_lag_p99_seconds'), max: get('nodejs_eventloop_lag_max_seconds') };
}

/** p50 and p99 (ms) of each phase (or other label value given in `keys`) between two scrapes. */
export function phaseQuantiles<K extends string = Phase>(
  before: PhaseBuckets,
  after: PhaseBuckets,
  keys: readonly K[] = PHASES as readonly string[] as readonly K[],
): Record<K, { p50: number; p99: number; n: number }> {
  const out = {} as Record<K, { p50: number; p99: number; n: number }>;
  for (const phase of keys) {
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
