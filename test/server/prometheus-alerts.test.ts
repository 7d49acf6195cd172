// docs/prometheus/alerts.yml: a well-formed rule file whose every metric (and every label value it matches on) is
// exported on /metrics of a real server after some slot spins; the RTP counters sum the settled rounds exactly.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parse } from 'yaml';
import { createMetrics, gameMoneyRecorder } from '../../server/lib/metrics.ts';
import { Inbox, joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

interface Rule {
  alert?: string;
  record?: string;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

const RULES_FILE = 'docs/prometheus/alerts.yml';
/** PromQL words that are not metric names (operators, modifiers, grouping). */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);
const DURATION = /^\d+[smhdwy]$/;

/** The metric names an expression reads: strings, label matchers, ranges and label lists dropped; functions and keywords skipped. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    if (KEYWORDS.has(word.toLowerCase())) continue;
    if (
      stripped
        .slice(m.index + word.length)
        .trimStart()
        .startsWith('(')
    )
      continue; // a function call
    names.add(word);
  }
  return [...names];
}

/** Each `name{…}` selector's equality matchers (label = value). */
function selectors(expr: string): Array<{ name: string; label: string; value: string }> {
  const out: Array<{ name: string; label: string; value: string }> = [];
  for (const m of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)) {
    for (const x of m[2].matchAll(/(\w+)\s*=\s*"([^"]*)"/g)) out.push({ name: m[1], label: x[1], value: x[2] });
  }
  return out;
}

const loadRules = (): Rule[] => {
  const doc = parse(readFileSync(RULES_FILE, 'utf8')) as { groups?: Array<{ name?: unknown; rules?: Rule[] }> };
  expect(doc.groups, 'groups').to.be.an('array').that.is.not.empty;
  return doc.groups!.flatMap((g) => {
    expect(g.name, 'group name').to.be.a('string');
    expect(g.rules, `rules of ${String(g.name)}`).to.be.an('array').that.is.not.empty;
    return g.rules!;
  });
};

describe('Prometheus alert rules', function () {
  this.timeout(90_000);

  it('extracts metric names from PromQL (functions, keywords, label lists, ranges and numbers aside)', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{phase="total", x=~"y"}[5m]))) > 1e-1 and on (game) b_total offset 1h',
      ).sort(),
    ).to.deep.equal(['a_seconds_bucket', 'b_total']);
    expect(metricNames('abs(x / y - on (g, a) max by (g, a) (z)) > 3 * sqrt(w)').sort()).to.deep.equal(['w', 'x', 'y', 'z']);
  });

  it('exports paid = 0 for a game that has settled rounds but paid nothing yet (the RTP rule divides by it)', async () => {
    const metrics = createMetrics();
    gameMoneyRecorder(metrics)('slot', 'slot-v1', { wagered: 20, paid: 0, staked: 1 });
    const text = await metrics.registry.metrics();
    expect(text).to.match(/^neon_game_paid_total\{game="slot",algorithm="slot-v1"\} 0$/m);
    expect(text).to.match(/^neon_game_wagered_total\{game="slot",algorithm="slot-v1"\} 20$/m);
  });

  it('is a valid rule file: every rule has an alert name, an expression, a duration, a severity and a summary', () => {
    const rules = loadRules();
    const names = new Set<string>();
    const runbook = readFileSync('docs/runbook.md', 'utf8');
    const anchors = new Set(
      [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) =>
        m[1]
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .trim()
          .replace(/\s/g, '-'),
      ),
    );
    for (const r of rules) {
      expect(r.alert, 'alert').to.match(/^[A-Z][A-Za-z0-9]+$/);
      expect(names.has(r.alert!), `${r.alert} twice`).to.equal(false);
      names.add(r.alert!);
      expect(r.expr, `${r.alert}: expr`).to.be.a('string').and.not.empty;
      expect(String(r.for), `${r.alert}: for`).to.match(/^\d+[smh]$/);
      expect(r.labels?.severity, `${r.alert}: severity`).to.be.oneOf(['page', 'ticket']);
      expect(r.annotations?.summary, `${r.alert}: summary`).to.be.a('string').and.not.empty;
      const link = String(r.annotations?.runbook ?? '');
      expect(link, `${r.alert}: runbook`).to.match(/^docs\/runbook\.md#/);
      expect(anchors.has(link.split('#')[1]), `${r.alert}: ${link} is a heading of docs/runbook.md`).to.equal(true);
      // balanced brackets: a typo in the expression would fail to load in Prometheus
      for (const [open, close] of ['()', '{}', '[]']) {
        const e = r.expr as string;
        expect(e.split(open).length, `${r.alert}: ${open}${close}`).to.equal(e.split(close).length);
      }
    }
    expect([...names]).to.include.members(['NeonRtpOutsideBand', 'NeonOutboxLag', 'NeonHttp5xxRatio', 'NeonSpinP99Slow']);
    const exprs = rules.map((r) => r.expr as string).join('\n');
    for (const window of ['5m', '24h']) expect(exprs).to.include(`[${window}]`);
  });

  describe('against a running server', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer('prom_alerts', { ROOM_MESSAGES_PER_SECOND: 50 });
    });
    after(async () => {
      await s?.stop();
    });

    it('exports every metric and label value the rules use once there was traffic, and the RTP counters sum the rounds', async () => {
      const u = await signup(s.http);
      const room = await joinAs(s.url, u.access, 'slot');
      const inbox = new Inbox(room);
      let wagered = 0;
      let paid = 0;
      try {
        await inbox.next('machine');
        for (let i = 0; i < 8; i++) {
          room.send('spin', { betPerLine: 1, ref: i });
          const r = await inbox.next('spin_result', (m) => m.ref === i);
          wagered += r.bet;
          paid += r.total_payout;
        }
      } finally {
        await room.leave();
      }
      await s.http.get('/api/nope'); // a 404, so responses of more than one status exist
      const text = (await s.http.get('/metrics')).text;

      const rules = loadRules();
      const used = new Set(rules.flatMap((r) => metricNames(r.expr as string)));
      expect(used.size).to.be.at.least(7);
      for (const name of used) {
        expect(text, `${name} exported with a series`).to.match(new RegExp(`^${name}(\\{| )`, 'm'));
        const base = name.replace(/_(bucket|sum|count)$/, '');
        if (base !== name) expect(text, `${base} is a histogram`).to.match(new RegExp(`^# TYPE ${base} histogram$`, 'm'));
      }
      for (const sel of rules.flatMap((r) => selectors(r.expr as string))) {
        expect(text, `${sel.name} with ${sel.label}="${sel.value}"`).to.match(
          new RegExp(`^${sel.name}\\{[^}]*${sel.label}="${sel.value}"`, 'm'),
        );
      }

      // the counters the RTP rule reads are the settled rounds' money, exactly
      const value = (metric: string) => Number(text.match(new RegExp(`^${metric}\\{game="slot",algorithm="slot-v1"\\} (\\S+)$`, 'm'))?.[1]);
      expect(value('neon_game_wagered_total')).to.equal(wagered);
      expect(value('neon_game_paid_total')).to.equal(paid);
      expect(value('neon_game_staked_rounds_total')).to.equal(8);
      const [db] = await (s.orm.em.fork() as EntityManager).execute<Array<{ bet: string; payout: string }>>(
        `select sum(bet) as bet, sum(payout) as payout from game_rounds where user_id = ? and status = 'settled'`,
        [u.userId],
      );
      expect([Number(db.bet), Number(db.payout)]).to.deep.equal([wagered, paid]);
      const rtp = Number(text.match(/^neon_game_rtp_published\{game="slot",algorithm="slot-v1"\} (\S+)$/m)?.[1]);
      expect(rtp).to.be.within(0.9, 1);
      expect(text).to.match(/^neon_game_rtp_sigma\{game="crash",algorithm="crash-v1"\} \S+$/m);
      expect(text).to.match(/^neon_game_rtp_published\{game="rps",algorithm="rps-v1"\} \S+$/m);
    });
  });
});
