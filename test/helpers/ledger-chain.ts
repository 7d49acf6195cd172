import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Re-seals every wallet's hash chain (each entry's hash from the previous one, in id order, and the wallets' heads),
 * as the migration's backfill does: for a test that rewrites ledger rows on purpose (e.g. moves them to another day)
 * and must still leave a ledger that `reconcile` verifies. Test databases only.
 */
export async function resealLedgerChains(em: EntityManager): Promise<void> {
  await em.execute(`
    do $$
    declare
      r record;
      prev bytea;
      wallet text := '';
    begin
      for r in select * from ledger_entries order by user_id, currency, id loop
        if r.user_id::text || '/' || r.currency <> wallet then
          prev := null;
          wallet := r.user_id::text || '/' || r.currency;
        end if;
        prev := ledger_entry_hash(prev, r.id, r.user_id, r.currency::text, r.delta, r.balance_after, r.reason, r.ref_type,
                                  r.ref_id, r.idempotency_key, r.actor, r.created_at, r.meta);
        update ledger_entries set hash = prev where id = r.id;
      end loop;
      update wallets w set ledger_head = l.hash, ledger_head_id = l.id
        from (select distinct on (user_id, currency) user_id, currency, id, hash
                from ledger_entries order by user_id, currency, id desc) l
       where l.user_id = w.user_id and l.currency = w.currency;
    end
    $$`);
}
