import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WalletAdjustment, type AdjustmentStatus, type IWalletAdjustment } from '../entities/wallet-adjustment.entity.ts';

/** A wallet adjustment locked for the caller's transaction (managed: changes are written by the next flush), or null. */
export function lockAdjustment(em: EntityManager, id: string): Promise<IWalletAdjustment | null> {
  return em.findOne(WalletAdjustment, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/**
 * A page of adjustments (optionally of one status), newest first, `limit + 1` rows; `after` is the last row seen. Each
 * row carries the player's current `username` (null if the account is gone; operators' names are kept on the row).
 */
export async function adjustmentPage(
  em: EntityManager,
  q: { status?: AdjustmentStatus; after?: { value: string; id: string }; limit: number },
): Promise<Array<Record<string, unknown>>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) {
    where.push('a.status = ?');
    params.push(q.status);
  }
  if (q.after) {
    where.push('(a.created_at, a.id) < (?::timestamptz, ?::uuid)');
    params.push(q.after.value, q.after.id);
  }
  params.push(q.limit + 1);
  return em.execute(
    `select a.created_at::text as sort_key, a.id, a.user_id, u.username, a.currency, a.amount, a.reason, a.note, a.status,
            a.requested_by, a.requested_by_name, a.request_id, a.decided_by, a.decided_by_name, a.decided_at, a.ledger_entry_id,
            a.created_at
       from wallet_adjustments a
       left join users u on u.id = a.user_id
      ${where.length ? `where ${where.join(' and ')}` : ''}
      order by a.created_at desc, a.id desc limit ?`,
    params,
  );
}
