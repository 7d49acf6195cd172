import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { WalletAdjustment, type AdjustmentStatus, type IWalletAdjustment } from '../entities/wallet-adjustment.entity.ts';

/** A wallet adjustment locked for the caller's transaction (managed: changes are written by the next flush), or null. */
export function lockAdjustment(em: EntityManager, id: string): Promise<IWalletAdjustment | null> {
  return em.findOne(WalletAdjustment, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** A page of adjustments (optionally of one status), newest first, `limit + 1` rows; `after` is the last row seen. */
export async function adjustmentPage(
  em: EntityManager,
  q: { status?: AdjustmentStatus; after?: { value: string; id: string }; limit: number },
): Promise<Array<Record<string, unknown>>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) {
    where.push('status = ?');
    params.push(q.status);
  }
  if (q.after) {
    where.push('(created_at, id) < (?::timestamptz, ?::uuid)');
    params.push(q.after.value, q.after.id);
  }
  params.push(q.limit + 1);
  return em.execute(
    `select created_at::text as sort_key, id, user_id, currency, amount, reason, note, status, requested_by, requested_by_name,
            request_id, decided_by, decided_by_name, decided_at, ledger_entry_id, created_at
       from wallet_adjustments ${where.length ? `where ${where.join(' and ')}` : ''}
      order by created_at desc, id desc limit ?`,
    params,
  );
}
