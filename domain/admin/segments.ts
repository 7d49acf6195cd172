// Segments are saved rules over player facts (DESIGN §7): a JSON tree of `all` / `any` / `not` groups whose leaves each
// test one fact. The rule is data: the server compiles it to one parameterised SQL query, never to SQL text.
import { z, type ZodType } from 'zod';
import { CURRENCIES } from '../economy/currency.ts';
import { GAMES } from '../games/game.ts';
import { DomainError } from '../shared/errors.ts';

/** Player statuses a rule can select (mirrors the users table). */
export const SEGMENT_STATUSES = ['active', 'suspended', 'banned'] as const;
/** Facts counted over game sessions started in a window, for one game or all; `biggest_multiplier` is in hundredths. */
export const SESSION_FACTS = ['rounds', 'wagered', 'won', 'wins', 'pulls', 'sessions', 'biggest_multiplier'] as const;
export type SessionFact = (typeof SESSION_FACTS)[number];
/** Currencies a purchase is priced in: USD (cents, paid through the provider) is real money, GEM is premium currency. */
export const REVENUE_CURRENCIES = ['USD', 'GEM', 'GOLD'] as const;
/** Tag names: lower-case letters, digits, `_` and `-`, 1 to 32 characters, starting with a letter or digit. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** At most this many groups on any path from the root (a leaf under six nested groups is fine). */
export const MAX_RULE_DEPTH = 6;
/** At most this many nodes (groups and leaves) in one rule. */
export const MAX_RULE_NODES = 100;
/** A window or day count reaches at most ten years back. */
const MAX_DAYS = 3650;

const amount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const days = z.number().int().min(1).max(MAX_DAYS);
const instant = z.iso.datetime({ offset: true });
export const TagSchema = z.string().regex(TAG_PATTERN, 'must be 1-32 of a-z, 0-9, _ and -, starting with a letter or digit');

type RangeValue = { min?: number; max?: number };
const hasBound = (v: unknown) => (v as RangeValue).min !== undefined || (v as RangeValue).max !== undefined;
const ordered = (v: unknown) => {
  const { min, max } = v as RangeValue;
  return min === undefined || max === undefined || min <= max;
};

/** A range check: at least one bound, and min ≤ max when both are given. */
function bounded<T extends z.ZodRawShape>(shape: T) {
  return z
    .strictObject({ ...shape, min: amount.optional(), max: amount.optional() })
    .refine((v) => hasBound(v), { message: 'needs min or max', path: ['min'] })
    .refine((v) => ordered(v), { message: 'must not exceed max', path: ['min'] });
}

/** A window of game sessions or purchases: the last `days` days, or `from` (inclusive) to `to` (exclusive). */
export const WindowSchema = z
  .strictObject({ days: days.optional(), from: instant.optional(), to: instant.optional() })
  .refine((w) => (w.days !== undefined) !== (w.from !== undefined || w.to !== undefined), {
    message: 'needs either days, or from and to',
  })
  .refine((w) => w.days !== undefined || (w.from !== undefined && w.to !== undefined), { message: 'needs both from and to', path: ['to'] })
  .refine((w) => w.from === undefined || w.to === undefined || Date.parse(w.from) < Date.parse(w.to), {
    message: 'must be after from',
    path: ['to'],
  });
export type SegmentWindow = z.output<typeof WindowSchema>;

const dateRange = (fact: 'created_at' | 'last_seen_at') =>
  z
    .strictObject({
      fact: z.literal(fact),
      from: instant.optional(),
      to: instant.optional(),
      within_days: days.optional(),
      older_than_days: days.optional(),
    })
    .refine((v) => v.from !== undefined || v.to !== undefined || v.within_days !== undefined || v.older_than_days !== undefined, {
      message: 'needs from, to, within_days or older_than_days',
      path: ['from'],
    });

/** The leaves: one player fact each. */
const LEAVES = {
  level: bounded({ fact: z.literal('level') }),
  status: z.strictObject({ fact: z.literal('status'), in: z.array(z.enum(SEGMENT_STATUSES)).min(1).max(SEGMENT_STATUSES.length) }),
  created_at: dateRange('created_at'),
  last_seen_at: dateRange('last_seen_at'),
  balance: bounded({ fact: z.literal('balance'), currency: z.enum(CURRENCIES) }),
  ...Object.fromEntries(
    SESSION_FACTS.map((f) => [f, bounded({ fact: z.literal(f), game: z.enum(GAMES).optional(), window: WindowSchema })] as const),
  ),
  purchases: bounded({ fact: z.literal('purchases'), window: WindowSchema }),
  revenue: bounded({ fact: z.literal('revenue'), currency: z.enum(REVENUE_CURRENCIES), window: WindowSchema }),
  has_tag: z.strictObject({ fact: z.literal('has_tag'), tag: TagSchema }),
  lacks_tag: z.strictObject({ fact: z.literal('lacks_tag'), tag: TagSchema }),
} as Record<string, ZodType>;
/** Every fact a leaf can test. */
export const SEGMENT_FACTS = Object.keys(LEAVES);

type Range = { min?: number; max?: number };
type DateRange = { from?: string; to?: string; within_days?: number; older_than_days?: number };
/** One test of one player fact. */
export type SegmentLeaf =
  | ({ fact: 'level' } & Range)
  | { fact: 'status'; in: Array<(typeof SEGMENT_STATUSES)[number]> }
  | ({ fact: 'created_at' | 'last_seen_at' } & DateRange)
  | ({ fact: 'balance'; currency: (typeof CURRENCIES)[number] } & Range)
  | ({ fact: SessionFact; game?: (typeof GAMES)[number]; window: SegmentWindow } & Range)
  | ({ fact: 'purchases'; window: SegmentWindow } & Range)
  | ({ fact: 'revenue'; currency: (typeof REVENUE_CURRENCIES)[number]; window: SegmentWindow } & Range)
  | { fact: 'has_tag' | 'lacks_tag'; tag: string };
/** A segment rule: every child holds (`all`, true when empty), some child holds (`any`, false when empty), or not. */
export type SegmentRule = { all: SegmentRule[] } | { any: SegmentRule[] } | { not: SegmentRule } | SegmentLeaf;

const Children = z.array(z.lazy((): ZodType<SegmentRule> => Node)).max(MAX_RULE_NODES);
const GROUPS: Record<string, ZodType> = {
  all: z.strictObject({ all: Children }),
  any: z.strictObject({ any: Children }),
  not: z.strictObject({ not: z.lazy((): ZodType<SegmentRule> => Node) }),
};

/** One node: dispatched on its key (`all`, `any`, `not`) or on its `fact`, so an error names the field at fault. */
const Node: ZodType<SegmentRule> = z.unknown().transform((value, ctx) => {
  const schema = nodeSchema(value);
  if (!schema) {
    const fact = isObject(value) ? value.fact : undefined;
    ctx.addIssue({
      code: 'custom',
      message: isObject(value)
        ? `${typeof fact === 'string' ? `unknown fact "${fact.slice(0, 40)}"` : 'needs all, any, not or fact'} (facts: ${SEGMENT_FACTS.join(', ')})`
        : 'must be an object',
      path: isObject(value) && 'fact' in value ? ['fact'] : [],
    });
    return z.NEVER;
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data as SegmentRule;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

function nodeSchema(value: unknown): ZodType | undefined {
  if (!isObject(value)) return undefined;
  for (const key of ['all', 'any', 'not']) if (key in value) return GROUPS[key];
  return typeof value.fact === 'string' && Object.hasOwn(LEAVES, value.fact) ? LEAVES[value.fact] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Depth and size of a rule as sent (checked before parsing, so a deeply nested body never recurses far). */
function measure(value: unknown): { depth: number; nodes: number } {
  let depth = 0;
  let nodes = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0 && nodes <= MAX_RULE_NODES && depth <= MAX_RULE_DEPTH) {
    const [node, groups] = stack.pop()!;
    nodes++;
    if (!isObject(node)) continue;
    const children = Array.isArray(node.all) ? node.all : Array.isArray(node.any) ? node.any : 'not' in node ? [node.not] : [];
    if (children.length > 0 || 'all' in node || 'any' in node || 'not' in node) depth = Math.max(depth, groups + 1);
    for (const child of children.slice(0, MAX_RULE_NODES + 1)) stack.push([child, groups + 1]);
  }
  return { depth, nodes };
}

/** Zod schema of a segment rule: the tree, at most MAX_RULE_DEPTH groups deep and MAX_RULE_NODES nodes. */
export const SegmentRuleSchema: ZodType<SegmentRule> = z
  .unknown()
  .superRefine((value, ctx) => {
    const { depth, nodes } = measure(value);
    if (depth > MAX_RULE_DEPTH) ctx.addIssue({ code: 'custom', message: `nests more than ${MAX_RULE_DEPTH} groups deep` });
    else if (nodes > MAX_RULE_NODES) ctx.addIssue({ code: 'custom', message: `has more than ${MAX_RULE_NODES} conditions and groups` });
  })
  .pipe(Node)
  .meta({
    id: 'SegmentRule',
    description:
      'A segment rule: `{all: [rule…]}`, `{any: [rule…]}`, `{not: rule}` or a leaf `{fact, …}` ' +
      `(facts: ${SEGMENT_FACTS.join(', ')}). Amounts are integers; windows are \`{days}\` or \`{from, to}\`.`,
  }) as unknown as ZodType<SegmentRule>;

/** Validates unknown JSON as a segment rule; DomainError 'request/invalid' naming the bad field (details.issues) otherwise. */
export function parseSegmentRule(json: unknown): SegmentRule {
  const r = SegmentRuleSchema.safeParse(json);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: ['rule', ...i.path.map(String)].join('.'), message: i.message, code: i.code }));
  throw new DomainError('request/invalid', `Invalid rule: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, { issues });
}
