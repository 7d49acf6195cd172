/**
 * Timed HTTP requests for fault tests: each answer (or the lack of one within `giveUpMs`) is recorded with its
 * status and duration, so a test can assert that nothing hung and nothing answered 500 while a dependency was away.
 */
export interface Probe {
  path: string;
  status: number | 'no answer';
  ms: number;
  error?: string;
  at: number;
}

export const AUTHENTICATED_GETS = [
  '/api/auth/me',
  '/api/wallet',
  '/api/wallet/ledger',
  '/api/dashboard',
  '/api/profile',
  '/api/inventory',
  '/api/missions',
  '/api/games/sessions/recent',
  '/api/games/stats/me',
  '/api/streak',
  '/api/events',
  '/api/rewards/pending',
  '/api/fairness/seeds',
];

export async function timedRequest(
  base: string,
  path: string,
  opts: { method?: string; token?: string; body?: unknown; giveUpMs?: number } = {},
): Promise<Probe> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const t0 = Date.now();
  try {
    const res = await fetch(base + path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.giveUpMs ?? 10_000),
    });
    const text = await res.text();
    let error: string | undefined;
    try {
      error = JSON.parse(text)?.error;
    } catch {
      /* not JSON */
    }
    return { path, status: res.status, ms: Date.now() - t0, error, at: Date.now() };
  } catch (err) {
    return { path, status: 'no answer', ms: Date.now() - t0, error: (err as Error).message, at: Date.now() };
  }
}

/** Probes every path at once, again and again until `untilMs` (epoch ms) has passed; returns every answer. */
export async function probeUntil(
  base: string,
  token: string,
  paths: string[],
  untilMs: number,
  opts: { giveUpMs?: number; pauseMs?: number } = {},
): Promise<Probe[]> {
  const all: Probe[] = [];
  do {
    all.push(...(await Promise.all(paths.map((p) => timedRequest(base, p, { token, giveUpMs: opts.giveUpMs })))));
    await new Promise((r) => setTimeout(r, opts.pauseMs ?? 200));
  } while (Date.now() < untilMs);
  return all;
}

/** One line per path: statuses seen and the slowest answer. */
export function summarize(probes: Probe[]): string {
  const by = new Map<string, Probe[]>();
  for (const p of probes) by.set(p.path, [...(by.get(p.path) ?? []), p]);
  return [...by]
    .map(([path, ps]) => {
      const statuses = [...new Set(ps.map((p) => p.status))].join('/');
      return `${path} ${statuses} max ${Math.max(...ps.map((p) => p.ms))} ms`;
    })
    .join('; ');
}
