import { z } from 'zod';
import { CURRENCIES } from '../../../../domain/economy/currency.ts';
import { ADJUSTMENT_STATUSES } from '../../../db/entities/wallet-adjustment.entity.ts';
import { ADJUSTMENT_REASONS, type AdjustmentView } from '../../../services/admin/wallet-adjustments.service.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';
import { iso } from './players.dto.ts';

/** `POST /admin/players/{id}/wallet/adjustments`; `max` bounds the absolute amount (ADMIN_ADJUSTMENT_MAX). */
export function adjustmentRequest(max: number) {
  return z
    .object({
      currency: z.enum(CURRENCIES),
      amount: z
        .number()
        .int()
        .min(-max)
        .max(max)
        .refine((v) => v !== 0, 'must not be 0')
        .describe('signed minor units: a credit > 0, a debit < 0'),
      reason: z.enum(ADJUSTMENT_REASONS),
      note: z.string().trim().max(500).default(''),
    })
    .strict();
}

export const BanRequest = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const EmptyRequest = z.object({}).strict();

export const ApprovalsQuery = PageQuery.extend({ status: z.enum(ADJUSTMENT_STATUSES).optional() }).strict();
export const AdjustmentIdParams = z.object({ id: z.uuid() });

export const AdjustmentResponse = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  currency: z.enum(CURRENCIES),
  amount: z.number().int(),
  reason: z.string(),
  note: z.string(),
  status: z.enum(ADJUSTMENT_STATUSES),
  requested_by: z.uuid(),
  requested_by_name: z.string(),
  decided_by: z.uuid().nullable(),
  decided_by_name: z.string().nullable(),
  decided_at: z.string().nullable(),
  ledger_entry_id: z.number().int().nullable(),
  created_at: z.string(),
});
/** An adjustment in the approvals list: with the player's username beside the operators' names. */
export const ApprovalResponse = AdjustmentResponse.extend({ username: z.string().nullable().describe("the player's username") });
export const ApprovalsResponse = pageResponse(ApprovalResponse);

/** An adjustment on the wire, from the service's view or a raw `wallet_adjustments` row. */
export function adjustmentBody(a: AdjustmentView | Record<string, unknown>) {
  const r = a as Record<string, unknown>;
  const pick = (camel: string, snake: string) => (camel in r ? r[camel] : r[snake]);
  const ledger = pick('ledgerEntryId', 'ledger_entry_id');
  return {
    id: String(r.id),
    user_id: String(pick('userId', 'user_id')),
    currency: r.currency as (typeof CURRENCIES)[number],
    amount: Number(r.amount),
    reason: String(r.reason),
    note: String(r.note),
    status: r.status as (typeof ADJUSTMENT_STATUSES)[number],
    requested_by: String(pick('requestedBy', 'requested_by')),
    requested_by_name: String(pick('requestedByName', 'requested_by_name')),
    decided_by: (pick('decidedBy', 'decided_by') as string | null) ?? null,
    decided_by_name: (pick('decidedByName', 'decided_by_name') as string | null) ?? null,
    decided_at: iso(pick('decidedAt', 'decided_at')),
    ledger_entry_id: ledger === null || ledger === undefined ? null : Number(ledger),
    created_at: iso(pick('createdAt', 'created_at'))!,
  };
}

export type AdjustmentBody = ReturnType<typeof adjustmentBody>;

/** A row of the approvals list on the wire: the adjustment and its player's username. */
export function approvalBody(r: Record<string, unknown>) {
  return { ...adjustmentBody(r), username: (r.username as string | null) ?? null };
}

export type ApprovalBody = ReturnType<typeof approvalBody>;
