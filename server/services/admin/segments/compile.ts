// A segment rule compiled to one SQL boolean expression over `users u`. Every value of the rule is a `?` parameter; the
// only text that reaches SQL comes from the tables below, chosen by keys the rule schema has already checked.
//
// Facts counted over other tables (game sessions, purchases, wallets, tags) are `u.id in (select user_id … group by
// user_id having …)`: PostgreSQL turns it into a hash semi-join (or a hashed sub-plan under `or` / `not`), one pass
// over the window's rows instead of one lookup per player. A player without rows counts as 0, so a range that holds 0
// is compiled the other way round: `u.id not in (the players whose value falls outside the range)`.
import type { SegmentLeaf, SegmentRule, SegmentWindow, SessionFact } from '../../../../domain/admin/segments.ts';

/** A compiled rule: a boolean SQL expression over `users u` and its `?` parameters, in order. */
export interface CompiledSegment {
  where: string;
  params: unknown[];
}

const DAY_MS = 86_400_000;

/** The aggregate of each session fact over `game_sessions s`. */
const SESSION_AGGREGATES: Record<SessionFact, string> = {
  rounds: 'sum(s.rounds)',
  wagered: 'sum(s.wagered)',
  won: 'sum(s.won)',
  wins: 'sum(s.wins)',
  pulls: 'sum(s.pulls)',
  sessions: 'count(*)',
  biggest_multiplier: 'max(s.biggest_multiplier)',
};

/** Compiles a (validated) rule into a boolean expression over `users u`; `now` anchors every "last N days". */
export function compileSegment(rule: SegmentRule, now: Date): CompiledSegment {
  const params: unknown[] = [];
  const where = new Compiler(params, now).node(rule);
  return { where, params };
}

/** The members of a rule as `select u.id as user_id …` (players only, no order or limit), for `insert … select`. */
export function membersSql(rule: SegmentRule, now: Date): { sql: string; params: unknown[] } {
  const { where, params } = compileSegment(rule, now);
  return { sql: `select u.id as user_id from users u where u.role = 'player' and (${where})`, params };
}

type Range = { min?: number; max?: number };

class Compiler {
  constructor(
    private readonly params: unknown[],
    private readonly now: Date,
  ) {}

  /** Appends a parameter and returns its placeholder (call in the order the placeholders appear in the text). */
  private p(value: unknown): string {
    this.params.push(value);
    return '?';
  }

  node(rule: SegmentRule): string {
    if ('all' in rule) return rule.all.length === 0 ? 'true' : `(${rule.all.map((r) => this.node(r)).join(' and ')})`;
    if ('any' in rule) return rule.any.length === 0 ? 'false' : `(${rule.any.map((r) => this.node(r)).join(' or ')})`;
    if ('not' in rule) return `(not ${this.node(rule.not)})`;
    return this.leaf(rule);
  }

  private leaf(leaf: SegmentLeaf): string {
    switch (leaf.fact) {
      case 'level':
        return this.range('u.level', leaf);
      case 'status':
        return `u.status in (${leaf.in.map((s) => this.p(s)).join(', ')})`;
      case 'created_at':
      case 'last_seen_at':
        return this.dates(`u.${leaf.fact}`, leaf);
      case 'balance':
        // every player has a wallet per currency from sign-up on; a missing one would count as 0
        return this.perPlayer(
          leaf,
          'w.user_id',
          (check) => `from wallets w where w.currency = ${this.p(leaf.currency)} and ${check('w.balance')}`,
        );
      case 'purchases':
      case 'revenue':
        return this.perPlayer(leaf, 'x.user_id', (check) => {
          const currency = leaf.fact === 'revenue' ? ` and x.price_currency = ${this.p(leaf.currency)}` : '';
          const window = this.window('x.created_at', leaf.window);
          const agg = leaf.fact === 'revenue' ? 'sum(x.total_price)' : 'count(*)';
          return `from purchases x where x.status = 'succeeded'${currency} and ${window} group by x.user_id having ${check(agg)}`;
        });
      case 'has_tag':
      case 'lacks_tag':
        return `u.id ${leaf.fact === 'lacks_tag' ? 'not in' : 'in'} (select t.user_id from player_tags t where t.tag = ${this.p(leaf.tag)})`;
      default:
        return this.perPlayer(leaf, 's.user_id', (check) => {
          const window = this.window('s.started_at', leaf.window);
          const game = leaf.game ? ` and s.game = ${this.p(leaf.game)}` : '';
          return `from game_sessions s where ${window}${game} group by s.user_id having ${check(SESSION_AGGREGATES[leaf.fact])}`;
        });
    }
  }

  /**
   * A range over a per-player value read from another table, 0 for a player without rows. `body(check)` is the
   * subquery after `select <id>`, with `check(expr)` where the value is tested (called once, in text order).
   */
  private perPlayer(range: Range, id: string, body: (check: (expr: string) => string) => string): string {
    if ((range.min ?? 0) > 0) return `u.id in (select ${id} ${body((expr) => this.range(expr, range))})`;
    return `u.id not in (select ${id} ${body((expr) => `not (${this.range(expr, range)})`)})`;
  }

  private range(expr: string, r: Range): string {
    const parts: string[] = [];
    if (r.min !== undefined) parts.push(`${expr} >= ${this.p(r.min)}`);
    if (r.max !== undefined) parts.push(`${expr} <= ${this.p(r.max)}`);
    return parts.length === 0 ? 'true' : parts.join(' and ');
  }

  private dates(column: string, d: { from?: string; to?: string; within_days?: number; older_than_days?: number }): string {
    const parts: string[] = [];
    if (d.from !== undefined) parts.push(`${column} >= ${this.p(new Date(d.from))}`);
    if (d.to !== undefined) parts.push(`${column} < ${this.p(new Date(d.to))}`);
    if (d.within_days !== undefined) parts.push(`${column} >= ${this.p(this.daysAgo(d.within_days))}`);
    if (d.older_than_days !== undefined) parts.push(`${column} < ${this.p(this.daysAgo(d.older_than_days))}`);
    return `(${parts.join(' and ')})`;
  }

  private window(column: string, w: SegmentWindow): string {
    if (w.days !== undefined) return `${column} >= ${this.p(this.daysAgo(w.days))}`;
    return `${column} >= ${this.p(new Date(w.from!))} and ${column} < ${this.p(new Date(w.to!))}`;
  }

  private daysAgo(days: number): Date {
    return new Date(this.now.getTime() - days * DAY_MS);
  }
}
