import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseSegmentRule, SESSION_FACTS, type SegmentLeaf, type SegmentRule, type SegmentWindow } from '../../domain/admin/segments.ts';
import { credit, type Currency } from '../../domain/economy/currency.ts';
import { GAMES } from '../../domain/games/game.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { compileSegment, membersSql } from '../../server/services/admin/segments/compile.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const DAY = 86_400_000;
const STATUSES = ['active', 'suspended', 'banned'] as const;
const TAGS = ['vip', 'beta', 'whale-1'];

/** A small deterministic PRNG (mulberry32), so a failure is reproducible. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Player {
  id: string;
  role: string;
  status: string;
  level: number;
  createdAt: number;
  lastSeenAt: number;
  balance: Record<string, number>;
  sessions: Array<{
    game: string;
    startedAt: number;
    rounds: number;
    wagered: number;
    won: number;
    wins: number;
    pulls: number;
    biggest_multiplier: number;
  }>;
  purchases: Array<{ status: string; currency: string; total: number; createdAt: number }>;
  tags: Set<string>;
}

/** The same rule evaluated in JavaScript over the rows read back from the database: what the SQL must agree with. */
function evaluate(rule: SegmentRule, p: Player, now: number): boolean {
  if ('all' in rule) return rule.all.every((r) => evaluate(r, p, now));
  if ('any' in rule) return rule.any.some((r) => evaluate(r, p, now));
  if ('not' in rule) return !evaluate(rule.not, p, now);
  return leaf(rule, p, now);
}

function inRange(v: number, r: { min?: number; max?: number }) {
  return (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);
}

function inWindow(t: number, w: SegmentWindow, now: number) {
  return w.days !== undefined ? t >= now - w.days * DAY : t >= Date.parse(w.from!) && t < Date.parse(w.to!);
}

function leaf(l: SegmentLeaf, p: Player, now: number): boolean {
  switch (l.fact) {
    case 'level':
      return inRange(p.level, l);
    case 'status':
      return (l.in as string[]).includes(p.status);
    case 'created_at':
    case 'last_seen_at': {
      const t = l.fact === 'created_at' ? p.createdAt : p.lastSeenAt;
      return (
        (l.from === undefined || t >= Date.parse(l.from)) &&
        (l.to === undefined || t < Date.parse(l.to)) &&
        (l.within_days === undefined || t >= now - l.within_days * DAY) &&
        (l.older_than_days === undefined || t < now - l.older_than_days * DAY)
      );
    }
    case 'balance':
      return inRange(p.balance[l.currency] ?? 0, l);
    case 'purchases':
    case 'revenue': {
      const rows = p.purchases.filter(
        (x) => x.status === 'succeeded' && inWindow(x.createdAt, l.window, now) && (l.fact === 'purchases' || x.currency === l.currency),
      );
      return inRange(l.fact === 'purchases' ? rows.length : rows.reduce((a, x) => a + x.total, 0), l);
    }
    case 'has_tag':
      return p.tags.has(l.tag);
    case 'lacks_tag':
      return !p.tags.has(l.tag);
    default: {
      const rows = p.sessions.filter((s) => inWindow(s.startedAt, l.window, now) && (!l.game || s.game === l.game));
      const fact = l.fact;
      const value =
        fact === 'sessions'
          ? rows.length
          : fact === 'biggest_multiplier'
            ? Math.max(0, ...rows.map((s) => s.biggest_multiplier))
            : rows.reduce((a, s) => a + s[fact], 0);
      return inRange(value, l);
    }
  }
}

describe('segments: rules compiled to SQL agree with the same rules evaluated in JavaScript', function () {
  this.timeout(120_000);
  let s: TestServer;
  let players: Player[] = [];
  const now = new Date();
  const em = () => s.orm.em.fork() as EntityManager;
  const sql = (q: string, params: unknown[] = []) => em().execute(q, params);
  const rand = prng(15);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const int = (n: number) => Math.floor(rand() * n);

  async function members(rule: SegmentRule): Promise<string[]> {
    const m = membersSql(rule, now);
    const rows = await sql(`${m.sql} order by 1`, m.params);
    return rows.map((r) => r.user_id as string);
  }

  function expected(rule: SegmentRule): string[] {
    return players
      .filter((p) => p.role === 'player' && evaluate(rule, p, now.getTime()))
      .map((p) => p.id)
      .sort();
  }

  async function agree(rule: SegmentRule) {
    const checked = parseSegmentRule(rule);
    const got = await members(checked);
    const want = expected(checked);
    expect(got, JSON.stringify(rule)).to.deep.equal(want);
    return got.length;
  }

  before(async () => {
    s = await startTestServer('segments_compile');
    const t = now.getTime();
    for (let i = 0; i < 90; i++) {
      const id = randomUUID();
      const role = i % 30 === 29 ? 'operator' : 'player';
      const status = i % 9 === 0 ? 'banned' : i % 7 === 0 ? 'suspended' : 'active';
      const level = 1 + int(30);
      const createdAt = t - int(400) * DAY - int(DAY);
      const lastSeenAt = t - int(60) * DAY - int(DAY);
      await sql(
        `insert into users (id, username, username_key, password_hash, role, status, level, xp, created_at, last_seen_at)
         values (?, ?, ?, 'x', ?, ?, ?, 0, ?, ?)`,
        [id, `Seg${i}`, `seg${i}`, role, status, level, new Date(createdAt), new Date(lastSeenAt)],
      );
      const balance: Record<string, number> = {};
      for (const currency of ['GOLD', 'GEM']) {
        if (i % 11 === 5 && currency === 'GEM') continue; // a player without a GEM wallet counts as 0
        balance[currency] = i % 6 === 0 ? 0 : int(5000);
        await sql(`insert into wallets (user_id, currency, balance, version, updated_at) values (?, ?, 0, 0, now())`, [id, currency]);
        if (balance[currency] > 0) {
          await s.services.wallet.apply([
            credit({ userId: id, currency: currency as Currency, amount: balance[currency], reason: 'admin_adjust' }),
          ]);
        }
      }
      const sessions: Player['sessions'] = [];
      for (let k = int(6); k > 0; k--) {
        const session = {
          game: pick(GAMES),
          startedAt: t - int(40) * DAY - int(DAY),
          rounds: int(50),
          wagered: int(20_000),
          won: int(20_000),
          wins: int(20),
          pulls: int(30),
          biggest_multiplier: int(1000),
        };
        sessions.push(session);
        await sql(
          `insert into game_sessions (id, user_id, game, room_id, owner, status, started_at, rounds, wagered, won, wins, pulls, biggest_multiplier)
           values (?, ?, ?, 'r', 'test', 'closed', ?, ?, ?, ?, ?, ?, ?)`,
          [
            randomUUID(),
            id,
            session.game,
            new Date(session.startedAt),
            session.rounds,
            session.wagered,
            session.won,
            session.wins,
            session.pulls,
            session.biggest_multiplier,
          ],
        );
      }
      const purchases: Player['purchases'] = [];
      for (let k = int(4); k > 0; k--) {
        const p = {
          status: pick(['succeeded', 'succeeded', 'refunded', 'pending']),
          currency: pick(['USD', 'GEM', 'GOLD']),
          total: 1 + int(5000),
          createdAt: t - int(40) * DAY,
        };
        purchases.push(p);
        await sql(
          `insert into purchases (id, user_id, product_id, sku, quantity, unit_price, total_price, price_currency, status, created_at)
           values (?, ?, ?, 'sku', 1, ?, ?, ?, ?, ?)`,
          [randomUUID(), id, randomUUID(), p.total, p.total, p.currency, p.status, new Date(p.createdAt)],
        );
      }
      const tags = new Set(TAGS.filter(() => rand() < 0.3));
      players.push({ id, role, status, level, createdAt, lastSeenAt, balance, sessions, purchases, tags });
    }
    for (const tag of TAGS) {
      const ids = players.filter((p) => p.tags.has(tag)).map((p) => p.id);
      await em().transactional((tx) => s.services.tags.add(tx, ids, tag));
    }
    // read back what was stored (timestamps keep microseconds, the JS copy milliseconds: compare what the database holds)
    const stored = await sql(`select id, created_at, last_seen_at from users`);
    const byId = new Map(stored.map((r) => [r.id as string, r as { created_at: Date; last_seen_at: Date }]));
    players = players.map((p) => ({
      ...p,
      createdAt: new Date(byId.get(p.id)!.created_at).getTime(),
      lastSeenAt: new Date(byId.get(p.id)!.last_seen_at).getTime(),
    }));
  });
  after(async () => {
    await s?.stop();
  });

  const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY).toISOString();
  const window = (): SegmentWindow => (rand() < 0.6 ? { days: 1 + int(45) } : { from: iso(30 + int(10)), to: iso(int(25)) });
  const range = (scale: number) => {
    const r = rand();
    const a = int(scale);
    const b = a + int(scale);
    return r < 0.3 ? { min: a } : r < 0.6 ? { max: a } : r < 0.8 ? { min: a, max: b } : { min: 0, max: b };
  };

  function randomLeaf(): SegmentLeaf {
    switch (int(10)) {
      case 0:
        return { fact: 'level', ...range(30) };
      case 1:
        return { fact: 'status', in: [...new Set([...STATUSES.filter(() => rand() < 0.5), pick(STATUSES)])] };
      case 2:
        return {
          fact: pick(['created_at', 'last_seen_at'] as const),
          ...(rand() < 0.5 ? { within_days: 1 + int(100) } : { older_than_days: 1 + int(100) }),
        };
      case 3:
        return { fact: pick(['created_at', 'last_seen_at'] as const), from: iso(100 + int(300)), to: iso(int(100)) };
      case 4:
        return { fact: 'balance', currency: pick(['GOLD', 'GEM'] as const), ...range(5000) };
      case 5:
      case 6:
        return {
          fact: pick(SESSION_FACTS),
          ...(rand() < 0.5 ? { game: pick(GAMES) } : {}),
          window: window(),
          ...range(rand() < 0.5 ? 100 : 20_000),
        };
      case 7:
        return { fact: 'purchases', window: window(), ...range(4) };
      case 8:
        return { fact: 'revenue', currency: pick(['USD', 'GEM', 'GOLD'] as const), window: window(), ...range(6000) };
      default:
        return { fact: pick(['has_tag', 'lacks_tag'] as const), tag: pick(TAGS) };
    }
  }

  function randomRule(depth: number): SegmentRule {
    if (depth === 0 || rand() < 0.35) return randomLeaf();
    const r = int(3);
    if (r === 2) return { not: randomRule(depth - 1) };
    const children = Array.from({ length: int(4) }, () => randomRule(depth - 1));
    return r === 0 ? { all: children } : { any: children };
  }

  it('every leaf, with ranges that hold 0 and ranges that do not', async () => {
    const leaves: SegmentRule[] = [
      { fact: 'level', min: 10 },
      { fact: 'level', max: 10 },
      { fact: 'level', min: 5, max: 20 },
      { fact: 'status', in: ['banned', 'suspended'] },
      { fact: 'created_at', within_days: 100 },
      { fact: 'created_at', older_than_days: 100 },
      { fact: 'created_at', from: iso(300), to: iso(50) },
      { fact: 'last_seen_at', within_days: 7 },
      { fact: 'last_seen_at', older_than_days: 30 },
      { fact: 'last_seen_at', from: iso(20) },
      { fact: 'last_seen_at', to: iso(20) },
      { fact: 'balance', currency: 'GOLD', min: 1 },
      { fact: 'balance', currency: 'GOLD', max: 0 },
      { fact: 'balance', currency: 'GEM', max: 2500 },
      { fact: 'balance', currency: 'GEM', min: 1000, max: 3000 },
      ...SESSION_FACTS.flatMap((fact): SegmentRule[] => [
        { fact, window: { days: 7 }, min: 1 },
        { fact, window: { days: 14 }, max: 0 },
        { fact, game: 'slot', window: { days: 30 }, min: 1, max: 20_000 },
        { fact, window: { from: iso(35), to: iso(10) }, max: 40 },
      ]),
      { fact: 'purchases', window: { days: 7 }, min: 1 },
      { fact: 'purchases', window: { days: 30 }, max: 0 },
      { fact: 'revenue', currency: 'USD', window: { days: 30 }, min: 1000 },
      { fact: 'revenue', currency: 'GEM', window: { from: iso(40), to: iso(0) }, max: 3000 },
      { fact: 'has_tag', tag: 'vip' },
      { fact: 'lacks_tag', tag: 'whale-1' },
      { fact: 'has_tag', tag: 'nobody-has-it' },
    ];
    const counts: number[] = [];
    for (const rule of leaves) counts.push(await agree(rule));
    // the seed is varied enough that the leaves are not all empty or all full
    expect(counts.filter((n) => n > 0 && n < 87).length).to.be.greaterThan(leaves.length / 2);
  });

  it('every combinator: all, any, not, empty groups and nesting', async () => {
    await agree({ all: [] });
    await agree({ any: [] });
    await agree({ not: { all: [] } });
    await agree({ all: [{ fact: 'level', min: 5 }, { not: { fact: 'purchases', window: { days: 7 }, min: 1 } }] });
    await agree({
      any: [
        { fact: 'has_tag', tag: 'vip' },
        { fact: 'wagered', window: { days: 7 }, min: 5000 },
      ],
    });
    await agree({
      not: {
        any: [
          { fact: 'status', in: ['banned'] },
          { fact: 'balance', currency: 'GEM', max: 100 },
        ],
      },
    });
    await agree({
      all: [
        { any: [{ fact: 'level', max: 3 }, { not: { fact: 'has_tag', tag: 'beta' } }] },
        { fact: 'rounds', game: 'crash', window: { days: 30 }, max: 10 },
      ],
    });
    expect(await agree({ all: [] })).to.equal(players.filter((p) => p.role === 'player').length);
    expect(await agree({ any: [] })).to.equal(0);
  });

  it('300 random rules (seeded) agree', async () => {
    for (let i = 0; i < 300; i++) await agree(randomRule(4));
  });

  it('compiles to placeholders only: no rule value appears in the SQL text', () => {
    const rule = parseSegmentRule({
      all: [
        { fact: 'has_tag', tag: 'vip' },
        { fact: 'status', in: ['banned'] },
        { fact: 'wagered', game: 'gacha', window: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, min: 424242 },
      ],
    });
    const { where, params } = compileSegment(rule, now);
    for (const value of ['vip', 'banned', 'gacha', '2026', '424242']) expect(where).not.to.include(value);
    expect(params).to.include.members(['vip', 'banned', 'gacha', 424242]);
    expect(where.split('?').length - 1).to.equal(params.length);
  });

  it('injection attempts in every string position are refused by the schema, naming the field', () => {
    const evil = "x'); drop table users; --";
    const attempts: Array<[unknown, string]> = [
      [{ fact: 'has_tag', tag: evil }, 'rule.tag'],
      [{ fact: 'lacks_tag', tag: 'VIP' }, 'rule.tag'],
      [{ fact: 'status', in: [evil] }, 'rule.in.0'],
      [{ fact: 'created_at', from: evil }, 'rule.from'],
      [{ fact: 'last_seen_at', to: '2026-01-01 00:00:00; select 1' }, 'rule.to'],
      [{ fact: 'rounds', game: evil, window: { days: 7 }, min: 1 }, 'rule.game'],
      [{ fact: 'rounds', window: { from: evil, to: '2026-01-01T00:00:00Z' }, min: 1 }, 'rule.window.from'],
      [{ fact: 'balance', currency: evil, min: 1 }, 'rule.currency'],
      [{ fact: 'revenue', currency: 'EUR', window: { days: 1 }, min: 1 }, 'rule.currency'],
      [{ fact: evil }, 'rule.fact'],
      [{ all: [{ fact: 'level', min: '1 or 1=1' }] }, 'rule.all.0.min'],
      [{ fact: 'level', min: 1.5 }, 'rule.min'],
      [{ any: [{ fact: 'level', min: 1, [evil]: 1 }] }, 'rule.any.0'],
    ];
    for (const [rule, path] of attempts) {
      let err: unknown;
      try {
        parseSegmentRule(rule);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(rule)).to.be.instanceOf(DomainError);
      const issues = (err as DomainError).details.issues as Array<{ path: string }>;
      expect(
        issues.map((i) => i.path),
        JSON.stringify(rule),
      ).to.include(path);
    }
  });

  it('values that pass the schema land as parameters and match nothing they should not', async () => {
    await sql(`insert into player_tags (user_id, tag, created_at) select id, 'or-1-1', now() from users where username = 'Seg1'`);
    const ids = await members(parseSegmentRule({ fact: 'has_tag', tag: 'or-1-1' }));
    expect(ids).to.have.length(players[1].role === 'player' ? 1 : 0);
    expect(await members(parseSegmentRule({ fact: 'has_tag', tag: 'x--' }))).to.deep.equal([]);
    const [{ n }] = await sql(`select count(*)::int as n from users`);
    expect(n).to.equal(players.length);
  });

  it('rules deeper or larger than the bounds are refused', () => {
    let deep: unknown = { fact: 'level', min: 1 };
    for (let i = 0; i < 7; i++) deep = { all: [deep] };
    expect(() => parseSegmentRule(deep)).to.throw(DomainError, /more than 6 groups/);
    const wide = { any: Array.from({ length: 101 }, () => ({ fact: 'level', min: 1 })) };
    expect(() => parseSegmentRule(wide)).to.throw(DomainError);
  });

  it('the fingerprint is the count and a hash of the sorted member ids; a membership change changes it', async () => {
    const rule = parseSegmentRule({ fact: 'has_tag', tag: 'vip' });
    const a = await s.services.segments.fingerprint(em(), rule);
    expect(a.count).to.equal(expected(rule).length);
    expect(a.hash).to.match(/^[0-9a-f]{64}$/);
    expect((await s.services.segments.fingerprint(em(), rule)).hash).to.equal(a.hash);
    const outsider = players.find((p) => p.role === 'player' && !p.tags.has('vip'))!;
    await em().transactional((tx) => s.services.tags.add(tx, [outsider.id], 'vip'));
    const b = await s.services.segments.fingerprint(em(), rule);
    expect(b.count).to.equal(a.count + 1);
    expect(b.hash).not.to.equal(a.hash);
    expect(await em().transactional((tx) => s.services.tags.remove(tx, [outsider.id], 'vip'))).to.equal(1);
    expect((await s.services.segments.fingerprint(em(), rule)).hash).to.equal(a.hash);
  });

  it('a preview counts the members and samples 20 of them, most recently seen first', async () => {
    const rule = parseSegmentRule({ fact: 'level', min: 2 });
    const p = await s.services.segments.preview(rule);
    expect(p.count).to.equal(expected(rule).length);
    expect(p.sample).to.have.length(20);
    const seen = p.sample.map((r) => r.lastSeenAt.getTime());
    expect(seen).to.deep.equal([...seen].sort((x, y) => y - x));
    for (const r of p.sample) expect(r.level).to.be.at.least(2);
  });
});
