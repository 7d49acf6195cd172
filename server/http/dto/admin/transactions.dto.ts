import { z } from 'zod';
import type { PairedEntryRow, UnledgeredRow } from '../../../db/repositories/admin-transactions.repository.ts';
import type { Reconciliation, TransactionPage, TransactionSearch } from '../../../services/admin/transactions-admin.service.ts';
import type { Drift } from '../../../services/wallet/reconcile.service.ts';
import { PageQuery } from './paging.dto.ts';

const When = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const TransactionQuery = PageQuery.extend({
  entry_id: z.coerce.number().int().min(1).optional(),
  player: z.string().min(1).max(64).optional().describe('a user id or a username'),
  purchase_id: z.uuid().optional(),
  receipt: z.string().min(1).max(32).optional(),
  round_id: z.uuid().optional(),
  provider_event_id: z.string().min(1).max(64).optional(),
  from: When.optional(),
  to: When.optional(),
});
export const EntryParams = z.object({ entryId: z.coerce.number().int().min(1) });
export const ReconciliationQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

/** The lookup's query in the service's terms. */
export function transactionSearch(q: z.output<typeof TransactionQuery>): TransactionSearch {
  return {
    entryId: q.entry_id,
    player: q.player,
    purchaseId: q.purchase_id,
    receipt: q.receipt,
    roundId: q.round_id,
    providerEventId: q.provider_event_id,
    from: q.from,
    to: q.to,
    cursor: q.cursor,
    limit: q.limit,
  };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
/**
 * Milliseconds from one step to the next. A source written in the ledger entry's own transaction can carry a time read
 * by the application after the transaction's start, which the ledger row takes (`now()`): that is no lag, shown as 0.
 */
const ms = (later: Date | null, earlier: Date | null) => (later && earlier ? Math.max(0, later.getTime() - earlier.getTime()) : null);

/** A ledger entry with its pair, pairing status and data lag on the wire. */
export function pairedEntryBody(e: PairedEntryRow) {
  return {
    entry_id: e.id,
    user_id: e.userId,
    currency: e.currency,
    delta: e.delta,
    balance_after: e.balanceAfter,
    reason: e.reason,
    ref_type: e.refType,
    ref_id: e.refId,
    idempotency_key: e.idempotencyKey,
    actor: e.actor,
    meta: e.meta,
    created_at: e.createdAt.toISOString(),
    pairing_status: e.status,
    pair: e.sourceType ? { type: e.sourceType, id: e.sourceId, committed_at: iso(e.sourceAt), expected_delta: e.expectedDelta } : null,
    lag: {
      source_committed_at: iso(e.sourceAt),
      ledger_at: e.createdAt.toISOString(),
      outbox_published_at: iso(e.publishedAt),
      source_to_ledger_ms: ms(e.createdAt, e.sourceAt),
      ledger_to_publish_ms: ms(e.publishedAt, e.createdAt),
    },
  };
}

/** A source without its ledger entry (`pairing_status: missing_ledger`). */
export function unledgeredBody(u: UnledgeredRow) {
  return {
    pairing_status: 'missing_ledger' as const,
    source: { type: u.sourceType, id: u.sourceId, committed_at: u.sourceAt.toISOString() },
    user_id: u.userId,
    currency: u.currency,
    reason: u.reason,
    expected_delta: u.expectedDelta,
  };
}

export function transactionPageBody(p: TransactionPage) {
  return { items: p.items.map(pairedEntryBody), next_cursor: p.nextCursor, missing_ledger: p.unledgered.map(unledgeredBody) };
}

const driftBody = (d: Drift) => ({
  user_id: d.userId,
  currency: d.currency,
  problem: d.problem,
  entry_id: d.entryId ?? null,
  detail: d.detail,
});

export function reconciliationBody(r: Reconciliation) {
  return {
    unpaired_entries: r.unpairedEntries.map(pairedEntryBody),
    missing_ledger: r.unledgered.map(unledgeredBody),
    wallet_drift: r.walletDrift.map(driftBody),
    wallets: r.wallets,
    entries: r.entries,
    /** the ledger's hash chains: how many were verified, and each broken one (its first broken entry) or stale head */
    chain: {
      verified: r.chains,
      broken: r.walletDrift.filter((d) => d.problem === 'hash_mismatch' || d.problem === 'head_mismatch').map(driftBody),
    },
    truncated: r.truncated,
  };
}
