import { z } from 'zod';
import { BLOCK_DURATIONS, LIMIT_PERIODS, PLAY_CURRENCIES, REALITY_CHECK_CHOICES, SPEND_CURRENCIES } from '../../../domain/limits/limits.ts';
import type { HistoryEntry, LimitsView } from '../../services/limits/limits.service.ts';

const MAX_LIMIT = 1_000_000_000_000;
const Amount = z.number().int().min(0).max(MAX_LIMIT).nullable().describe('integer minor units; null removes the limit (after 24 h)');

/** One limit to set: loss and wager limits on GOLD or GEM, spend limits on USD (cents) or GEM purchases. */
export const LimitSetting = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('loss'), currency: z.enum(PLAY_CURRENCIES), period: z.enum(LIMIT_PERIODS), amount: Amount }).strict(),
  z.object({ kind: z.literal('wager'), currency: z.enum(PLAY_CURRENCIES), period: z.enum(LIMIT_PERIODS), amount: Amount }).strict(),
  z.object({ kind: z.literal('spend'), currency: z.enum(SPEND_CURRENCIES), period: z.enum(LIMIT_PERIODS), amount: Amount }).strict(),
]);

export const SetLimitsRequest = z
  .object({
    limits: z
      .array(LimitSetting)
      .min(1)
      .max(24)
      .refine((l) => new Set(l.map((x) => `${x.kind}:${x.currency}:${x.period}`)).size === l.length, 'each limit at most once'),
  })
  .strict();

export const BlockRequest = z
  .object({
    kind: z.enum(['cool_off', 'self_exclusion']),
    duration: z.enum([...Object.keys(BLOCK_DURATIONS.cool_off), ...Object.keys(BLOCK_DURATIONS.self_exclusion)] as [string, ...string[]]),
    confirm: z.literal('I understand').describe('must be exactly "I understand": it cannot be ended early'),
  })
  .strict();

export const RealityCheckRequest = z
  .object({
    minutes: z
      .literal([...REALITY_CHECK_CHOICES])
      .nullable()
      .describe(`one of ${REALITY_CHECK_CHOICES.join(', ')}; null = the default`),
  })
  .strict();

const Totals = z.object({ wagered: z.number().int(), loss: z.number().int() });

export const LimitsResponse = z.object({
  limits: z.array(
    z.object({
      kind: z.enum(['loss', 'wager', 'spend']),
      currency: z.string(),
      period: z.enum(LIMIT_PERIODS),
      amount: z.number().int().nullable().describe('in force now'),
      pending: z
        .object({ amount: z.number().int().nullable(), effective_at: z.string() })
        .nullable()
        .describe('a raise or removal waiting 24 h'),
      used: z.number().int().describe('stakes (wager), net loss (loss) or spending (spend) in the current UTC period'),
      remaining: z.number().int().nullable(),
      resets_at: z.string(),
    }),
  ),
  usage: z.record(z.string(), z.object({ day: Totals, week: Totals, month: Totals })),
  block: z.object({ kind: z.enum(['cool_off', 'self_exclusion']), until: z.string() }).nullable(),
  reality_check_minutes: z.number(),
  reality_check_custom: z.boolean(),
});

export const LimitsHistoryEntry = z.object({
  id: z.number().int(),
  actor: z.string(),
  action: z.string(),
  kind: z.string().nullable(),
  currency: z.string().nullable(),
  period: z.string().nullable(),
  before: z.number().int().nullable(),
  after: z.number().int().nullable(),
  effective_at: z.string(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
});

export const limitsBody = (v: LimitsView) => v;
/** The body of `GET /api/limits` and of every limits change (the client reads it as its type). */
export type LimitsBody = ReturnType<typeof limitsBody>;

export function historyBody(h: HistoryEntry) {
  return {
    id: h.id,
    actor: h.actor,
    action: h.action,
    kind: h.kind,
    currency: h.currency,
    period: h.period,
    before: h.before,
    after: h.after,
    effective_at: h.effectiveAt.toISOString(),
    detail: h.detail,
    created_at: h.createdAt.toISOString(),
  };
}

/** `GET /api/admin/players/{id}/limits` (the admin drawer's Limits tab). */
export type AdminLimitsBody = z.infer<typeof LimitsResponse> & { history: Array<z.infer<typeof LimitsHistoryEntry>> };
