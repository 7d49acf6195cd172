// Bulk operations on a segment or a list of players (DESIGN §7): what each kind does, how its parameters are checked,
// and the lifecycle draft → shadow → apply → undo. Pure: the services compute balances and write rows.
import { z } from 'zod';
import { CURRENCIES, type Currency } from '../economy/currency.ts';
import { BODY_MAX, DEEP_LINKS, TITLE_MAX, type DeepLink } from '../notifications/notification.ts';
import { DomainError } from '../shared/errors.ts';
import { TagSchema } from './segments.ts';

/** What an operation does to each targeted player. */
export const OPERATION_KINDS = [
  'grant_currency',
  'deduct_currency',
  'grant_item',
  'notify',
  'tag_add',
  'tag_remove',
  'set_status',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * Where an operation is in its lifecycle: a `draft` is shadowed (a job computes every effect), then applied (a job
 * executes exactly the shadowed items) and may be undone (a job of compensating entries). `failed`: a job failed;
 * `canceled`: a job was canceled. A shadowed, failed or canceled operation may be shadowed again.
 */
export const OPERATION_STATUSES = [
  'draft',
  'shadowing',
  'shadowed',
  'applying',
  'applied',
  'undoing',
  'undone',
  'failed',
  'canceled',
] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** Player statuses an operation can set. */
export const PLAYER_STATUSES = ['active', 'suspended', 'banned'] as const;
export type PlayerStatus = (typeof PLAYER_STATUSES)[number];

/** The parameters of each kind; `maxAmount` bounds a currency amount (ADMIN_OPERATION_MAX_AMOUNT). */
export function operationParamsSchemas(maxAmount: number) {
  const amount = z.number().int().min(1).max(maxAmount);
  const tag = z.strictObject({ tag: TagSchema });
  return {
    grant_currency: z.strictObject({ currency: z.enum(CURRENCIES), amount: amount.optional() }),
    deduct_currency: z.strictObject({ currency: z.enum(CURRENCIES), amount: amount.optional() }),
    grant_item: z.strictObject({ item_id: z.string().min(1).max(64), quantity: z.number().int().min(1).max(1000).default(1) }),
    notify: z.strictObject({
      title: z.string().trim().min(1).max(TITLE_MAX),
      body: z.string().trim().min(1).max(BODY_MAX),
      deep_link: z.enum(DEEP_LINKS).nullable().default(null),
    }),
    tag_add: tag,
    tag_remove: tag,
    set_status: z.strictObject({ status: z.enum(PLAYER_STATUSES), reason: z.string().trim().min(1).max(500).default('bulk operation') }),
  } satisfies Record<OperationKind, z.ZodType>;
}

/** The parameters of an operation, once checked (the union of every kind's). */
export type OperationParams = {
  currency?: Currency;
  amount?: number;
  item_id?: string;
  quantity?: number;
  title?: string;
  body?: string;
  deep_link?: DeepLink | null;
  tag?: string;
  status?: PlayerStatus;
  reason?: string;
};

/** Validates a kind's parameters; a currency kind needs an amount unless every listed player carries one. */
export function parseOperationParams(
  kind: OperationKind,
  params: unknown,
  o: { maxAmount: number; perPlayerAmounts: boolean },
): OperationParams {
  const r = operationParamsSchemas(o.maxAmount)[kind].safeParse(params ?? {});
  if (!r.success) {
    throw new DomainError(
      'request/invalid',
      `Invalid ${kind} parameters: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}.`,
      {
        issues: r.error.issues.map((i) => ({
          path: ['body', 'params', ...i.path.map(String)].join('.'),
          message: i.message,
          code: i.code,
        })),
      },
    );
  }
  const parsed = r.data as OperationParams;
  if (isCurrencyKind(kind) && parsed.amount === undefined && !o.perPlayerAmounts) {
    const message = 'is required unless every listed player has an amount';
    throw new DomainError('request/invalid', `Invalid ${kind} parameters: amount ${message}.`, {
      issues: [{ path: 'body.params.amount', message, code: 'invalid_type' }],
    });
  }
  return parsed;
}

/** Kinds that move money (ledger reason `admin_operation`). */
export function isCurrencyKind(kind: OperationKind): kind is 'grant_currency' | 'deduct_currency' {
  return kind === 'grant_currency' || kind === 'deduct_currency';
}

/** Whether an applied operation of this kind can be undone (a delivered notification cannot be taken back). */
export function isUndoable(kind: OperationKind): boolean {
  return kind !== 'notify';
}

/** The states from which each step may start. */
const STEP_FROM: Record<'shadow' | 'apply' | 'undo', readonly OperationStatus[]> = {
  shadow: ['draft', 'shadowed', 'failed', 'canceled'],
  apply: ['shadowed'],
  undo: ['applied'],
};

/** Throws 409 `operation/invalid_status` unless an operation in `status` may take `step`. */
export function assertStep(step: keyof typeof STEP_FROM, status: OperationStatus): void {
  if (!STEP_FROM[step].includes(status)) {
    throw new DomainError(
      'operation/invalid_status',
      `An operation that is ${status} cannot be ${step === 'shadow' ? 'shadowed' : `${step === 'apply' ? 'applied' : 'undone'}`}.`,
      {
        status,
        allowed: STEP_FROM[step],
      },
    );
  }
}

/** A currency effect on one balance: the balance after it, and whether it fits (a debit never goes below zero). */
export function currencyEffect(
  kind: 'grant_currency' | 'deduct_currency',
  balance: number,
  amount: number,
): { after: number; fits: boolean } {
  const after = kind === 'grant_currency' ? balance + amount : balance - amount;
  return after >= 0 ? { after, fits: true } : { after: balance, fits: false };
}

/** The ledger idempotency key of an operation's currency entry for a player (`op-undo:` for its compensation). */
export function operationLedgerKey(step: 'apply' | 'undo', operationId: string, userId: string, currency: Currency): string {
  return `${step === 'apply' ? 'op' : 'op-undo'}:${operationId}:${userId}:${currency}`;
}
