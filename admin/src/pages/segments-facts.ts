// The facts a segment rule can test, as the rule builder offers them: a label, a menu group and a starting leaf.
import { REVENUE_CURRENCIES, SEGMENT_STATUSES, SESSION_FACTS, type SegmentLeaf, type SegmentRule } from '../../../domain/admin/segments.ts';

export { REVENUE_CURRENCIES, SEGMENT_STATUSES, SESSION_FACTS };
export type { SegmentLeaf, SegmentRule };
export type Fact = SegmentLeaf['fact'];
export type SessionFact = (typeof SESSION_FACTS)[number];

/** The games a session fact may be limited to. */
export const GAMES = ['slot', 'crash', 'rps', 'gacha'] as const;

/** The builder's menu of facts, in groups. */
export const FACT_MENU: Array<{ group: string; facts: Array<{ fact: Fact; label: string }> }> = [
  {
    group: 'Player',
    facts: [
      { fact: 'level', label: 'Level' },
      { fact: 'status', label: 'Status' },
      { fact: 'created_at', label: 'Signed up' },
      { fact: 'last_seen_at', label: 'Last seen' },
      { fact: 'balance', label: 'Balance' },
      { fact: 'has_tag', label: 'Has tag' },
      { fact: 'lacks_tag', label: 'Lacks tag' },
    ],
  },
  {
    group: 'Play (game sessions in a window)',
    facts: [
      { fact: 'rounds', label: 'Rounds' },
      { fact: 'wagered', label: 'Wagered' },
      { fact: 'won', label: 'Won' },
      { fact: 'wins', label: 'Winning rounds' },
      { fact: 'pulls', label: 'Gacha pulls' },
      { fact: 'sessions', label: 'Sessions' },
      { fact: 'biggest_multiplier', label: 'Biggest multiplier (×100)' },
    ],
  },
  {
    group: 'Purchases (succeeded, in a window)',
    facts: [
      { fact: 'purchases', label: 'Purchases' },
      { fact: 'revenue', label: 'Revenue' },
    ],
  },
];

/** The label of a fact. */
export function factLabel(fact: Fact): string {
  return FACT_MENU.flatMap((g) => g.facts).find((f) => f.fact === fact)?.label ?? fact;
}

/** Whether a fact is counted over game sessions. */
export function isSessionFact(fact: Fact): fact is SessionFact {
  return (SESSION_FACTS as readonly string[]).includes(fact);
}

/** A new leaf of `fact` with sensible starting values. */
export function newLeaf(fact: Fact): SegmentLeaf {
  switch (fact) {
    case 'level':
      return { fact, min: 5 };
    case 'status':
      return { fact, in: ['active'] };
    case 'created_at':
    case 'last_seen_at':
      return { fact, within_days: 7 };
    case 'balance':
      return { fact, currency: 'GOLD', min: 1000 };
    case 'purchases':
      return { fact, window: { days: 7 }, min: 1 };
    case 'revenue':
      return { fact, currency: 'USD', window: { days: 30 }, min: 100 };
    case 'has_tag':
    case 'lacks_tag':
      return { fact, tag: 'vip' };
    default:
      return { fact, window: { days: 7 }, min: 1 };
  }
}

/** The rule as the builder edits it: the root is always a group (a saved leaf is wrapped in `all`). */
export function asGroup(rule: SegmentRule | undefined): SegmentRule {
  if (!rule) return { all: [] };
  return 'all' in rule || 'any' in rule ? rule : { all: [rule] };
}
