import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Second {
  t: number;
  connected: number;
  actions: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}
export interface Report {
  scenario: string;
  players: number;
  duration_s: number;
  workers: number;
  url: string;
  started_at: string;
  totals: {
    actions: number;
    errors: number;
    rejected: number;
    error_rate: number;
    actions_per_s: number;
    p50_ms: number;
    p95_ms: number;
    p99_ms: number;
    max_ms: number;
    peak_connected: number;
  };
  /** the phase before the timed play: every bot signs up, logs in or comes back with a saved session */
  enrollment: { enrolled: number; failed: number; seconds: number; per_s: number; busy_answers: number; returning: number };
  /** latency per scenario of the bots (one entry unless the run is mixed) */
  by_scenario: Record<string, { samples: number; p50_ms: number; p95_ms: number; p99_ms: number; max_ms: number }>;
  error_kinds: Record<string, number>;
  histogram: Array<[number, number]>;
  timeline: Second[];
}

const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

function bars(points: Array<[string, number]>, w = 760, h = 180, color = '#3b82f6'): string {
  const max = Math.max(1, ...points.map(([, v]) => v));
  const bw = w / Math.max(1, points.length);
  return `<svg width="${w}" height="${h + 20}" role="img">${points
    .map(([label, v], i) => {
      const bh = (v / max) * h;
      return `<rect x="${i * bw}" y="${h - bh}" width="${Math.max(1, bw - 1)}" height="${bh}" fill="${color}"><title>${esc(label)}: ${v}</title></rect>`;
    })
    .join(
      '',
    )}<text x="${w - 4}" y="12" font-size="11" text-anchor="end">max ${max}</text><text x="0" y="${h + 15}" font-size="11">${esc(points[0]?.[0] ?? '')}</text><text x="${w - 60}" y="${h + 15}" font-size="11">${esc(points.at(-1)?.[0] ?? '')}</text></svg>`;
}

/** Writes report.json and a self-contained report.html (inline SVG, no external assets). */
export function writeReport(dir: string, r: Report): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeFileSync(json, JSON.stringify(r, null, 2));
  const t = r.totals;
  writeFileSync(
    html,
    `<!doctype html><html><head><meta charset="utf-8"><title>Neon Club load test — ${esc(r.scenario)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:820px}td,th{padding:2px 10px;text-align:right}th{text-align:left}h2{margin-top:28px}</style></head><body>
<h1>Load test: ${esc(r.scenario)}, ${r.players} players, ${r.duration_s} s</h1>
<p>${esc(r.url)} · started ${esc(r.started_at)} · ${r.workers} worker threads</p>
<table><tr><th>actions</th><td>${t.actions}</td></tr><tr><th>actions/s</th><td>${t.actions_per_s.toFixed(1)}</td></tr>
<tr><th>errors</th><td>${t.errors} (${(t.error_rate * 100).toFixed(2)} %)</td></tr><tr><th>rule rejections (bets closed, funds)</th><td>${t.rejected}</td></tr><tr><th>round trip p50 / p95 / p99 / max</th><td>${t.p50_ms} / ${t.p95_ms} / ${t.p99_ms} / ${Math.round(t.max_ms)} ms</td></tr>
<tr><th>peak connected</th><td>${t.peak_connected}</td></tr>
<tr><th>enrollment (before the timed play)</th><td>${r.enrollment.enrolled} bots in ${r.enrollment.seconds.toFixed(1)} s (${r.enrollment.per_s.toFixed(1)}/s), ${r.enrollment.returning} with a saved session, ${r.enrollment.failed} failed, ${r.enrollment.busy_answers} busy answers</td></tr></table>
<h2>Round trip by scenario (ms)</h2><table><tr><th>scenario</th><th>samples</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>${Object.entries(
      r.by_scenario,
    )
      .map(
        ([k, v]) =>
          `<tr><th>${esc(k)}</th><td>${v.samples}</td><td>${v.p50_ms}</td><td>${v.p95_ms}</td><td>${v.p99_ms}</td><td>${Math.round(v.max_ms)}</td></tr>`,
      )
      .join('')}</table>
<h2>Latency histogram (ms)</h2>${bars(r.histogram.map(([ms, c]) => [`≤${ms} ms`, c]))}
<h2>Throughput (actions/s)</h2>${bars(
      r.timeline.map((s) => [`${s.t}s`, s.actions]),
      760,
      140,
      '#10b981',
    )}
<h2>p99 round trip per second (ms)</h2>${bars(
      r.timeline.map((s) => [`${s.t}s`, s.p99]),
      760,
      140,
      '#f59e0b',
    )}
<h2>Errors per second</h2>${bars(
      r.timeline.map((s) => [`${s.t}s`, s.errors]),
      760,
      100,
      '#ef4444',
    )}
<h2>Error kinds</h2><table>${
      Object.entries(r.error_kinds)
        .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`)
        .join('') || '<tr><td>none</td></tr>'
    }</table>
</body></html>`,
  );
  return { json, html };
}
