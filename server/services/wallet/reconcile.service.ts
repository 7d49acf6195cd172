import type { EntityManager } from '@mikro-orm/postgresql';

export interface Drift {
  userId: string;
  currency: string;
  problem: 'sum_mismatch' | 'chain_gap' | 'last_balance_mismatch';
  detail: string;
}

/**
 * Verifies every wallet: the ledger deltas sum to the balance, each row's balance_after equals the previous
 * row's balance_after plus its delta, and the newest balance_after equals the balance. Returns every drift found.
 */
export async function findDrift(em: EntityManager): Promise<{ wallets: number; entries: number; drift: Drift[] }> {
  const sums = await em.execute<{ user_id: string; currency: string; balance: string; total: string | null; last_after: string | null }[]>(`
    select w.user_id, w.currency, w.balance, l.total, l.last_after
      from wallets w
      left join (
        select user_id, currency, sum(delta) as total,
               (array_agg(balance_after order by id desc))[1] as last_after
          from ledger_entries group by user_id, currency
      ) l on l.user_id = w.user_id and l.currency = w.currency
    union all
    select l.user_id, l.currency, null, sum(l.delta), null
      from ledger_entries l
      where not exists (select 1 from wallets w where w.user_id = l.user_id and w.currency = l.currency)
      group by l.user_id, l.currency`);
  const gaps = await em.execute<
    { user_id: string; currency: string; id: string; prev_after: string | null; delta: string; balance_after: string }[]
  >(`
    select user_id, currency, id, prev_after, delta, balance_after from (
      select user_id, currency, id, delta, balance_after,
             lag(balance_after) over (partition by user_id, currency order by id) as prev_after
        from ledger_entries) t
     where coalesce(prev_after, 0) + delta <> balance_after`);
  const [{ n }] = await em.execute<{ n: string }[]>('select count(*) as n from ledger_entries');

  const drift: Drift[] = [];
  for (const r of sums) {
    const total = Number(r.total ?? 0);
    if (r.balance === null) {
      drift.push({
        userId: r.user_id,
        currency: r.currency,
        problem: 'sum_mismatch',
        detail: `ledger sums to ${total} but there is no wallet`,
      });
      continue;
    }
    if (total !== Number(r.balance)) {
      drift.push({ userId: r.user_id, currency: r.currency, problem: 'sum_mismatch', detail: `balance ${r.balance}, ledger sum ${total}` });
    }
    if (r.last_after !== null && Number(r.last_after) !== Number(r.balance)) {
      drift.push({
        userId: r.user_id,
        currency: r.currency,
        problem: 'last_balance_mismatch',
        detail: `balance ${r.balance}, newest balance_after ${r.last_after}`,
      });
    }
  }
  for (const g of gaps) {
    drift.push({
      userId: g.user_id,
      currency: g.currency,
      problem: 'chain_gap',
      detail: `entry ${g.id}: ${g.prev_after ?? 0} + ${g.delta} != ${g.balance_after}`,
    });
  }
  return { wallets: sums.filter((r) => r.balance !== null).length, entries: Number(n), drift };
}
