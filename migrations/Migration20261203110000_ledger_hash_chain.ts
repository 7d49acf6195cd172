import { Migration } from '@mikro-orm/migrations';

/**
 * A tamper-evident ledger: every entry stores `hash = SHA-256(previous hash of the same wallet ‖ canonical fields)`
 * (the encoding is `ledger_entry_hash`, documented in docs/architecture.md), and every wallet its chain's head
 * (`ledger_head`, `ledger_head_id`: the hash and id of its newest entry).
 *
 * A BEFORE INSERT trigger computes the hash, so every writer (the server, raw SQL of benches and seeders) extends the
 * chain. Its first statement, one UPDATE of the wallet row, takes the wallet's row lock, so concurrent entries of one
 * wallet chain one after the other, and entries of one statement chain in insertion order. The chain's order is the
 * id order within the wallet: an entry whose id is not above the wallet's newest (its id was drawn before another
 * writer took the wallet) gets a new id after the lock. An entry put back at its old id (a restore) is accepted only
 * with the hash it had, and only when that hash continues the entry before it. An entry for a wallet that does not
 * exist is refused.
 *
 * Existing entries are chained in id order per wallet, set-based: a running aggregate over a window.
 */
export class Migration20261203110000_ledger_hash_chain extends Migration {
  override name = 'Migration20261203110000_ledger_hash_chain';

  override up(): void | Promise<void> {
    this.addSql(`alter table "ledger_entries" add "hash" bytea null;`);
    this.addSql(`alter table "wallets" add "ledger_head" bytea null, add "ledger_head_id" bigint null;`);

    // The canonical encoding: the previous hash (32 zero bytes for a wallet's first entry), then the UTF-8 text of a
    // JSON array of the entry's fields (created_at as integer microseconds since the epoch, meta as its jsonb text).
    this.addSql(`create function "ledger_entry_hash"(prev bytea, id bigint, user_id uuid, currency text, delta bigint,
        balance_after bigint, reason text, ref_type text, ref_id text, idempotency_key text, actor text,
        created_at timestamptz, meta jsonb) returns bytea language sql stable parallel safe as $$
      select sha256(coalesce(prev, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
        || convert_to(json_build_array(id, user_id, currency, delta, balance_after, reason, ref_type, ref_id,
             idempotency_key, actor, (extract(epoch from created_at) * 1000000)::bigint, meta::text)::text, 'UTF8'))
    $$;`);

    // backfill: a running hash per wallet in id order
    this.addSql(`create function "ledger_chain_step"(state bytea, id bigint, user_id uuid, currency text, delta bigint,
        balance_after bigint, reason text, ref_type text, ref_id text, idempotency_key text, actor text,
        created_at timestamptz, meta jsonb) returns bytea language sql stable as $$
      select ledger_entry_hash(state, id, user_id, currency, delta, balance_after, reason, ref_type, ref_id,
        idempotency_key, actor, created_at, meta)
    $$;`);
    this.addSql(`create aggregate "ledger_chain"(bigint, uuid, text, bigint, bigint, text, text, text, text, text, timestamptz, jsonb)
      (sfunc = ledger_chain_step, stype = bytea);`);
    this.addSql(`update "ledger_entries" l set "hash" = c.hash
      from (select id, ledger_chain(id, user_id, currency, delta, balance_after, reason, ref_type, ref_id, idempotency_key,
                                    actor, created_at, meta) over (partition by user_id, currency order by id) as hash
              from ledger_entries) c
     where c.id = l.id;`);
    this.addSql(`drop aggregate "ledger_chain"(bigint, uuid, text, bigint, bigint, text, text, text, text, text, timestamptz, jsonb);`);
    this.addSql(`drop function "ledger_chain_step";`);
    this.addSql(`update "wallets" w set "ledger_head" = h.hash, "ledger_head_id" = h.id
      from (select distinct on (user_id, currency) user_id, currency, id, hash from ledger_entries
             order by user_id, currency, id desc) h
     where h.user_id = w.user_id and h.currency = w.currency;`);
    this.addSql(`alter table "ledger_entries" alter column "hash" set not null;`);

    this.addSql(`create function "ledger_entries_chain"() returns trigger language plpgsql as $$
      declare
        head bytea;
        head_id bigint;
        prev bytea;
      begin
        -- the common case, one statement: lock the wallet and extend its chain when the id comes after its newest entry
        update wallets w
           set ledger_head = ledger_entry_hash(w.ledger_head, new.id, new.user_id, new.currency, new.delta,
                 new.balance_after, new.reason, new.ref_type, new.ref_id, new.idempotency_key, new.actor,
                 new.created_at, new.meta),
               ledger_head_id = new.id
         where w.user_id = new.user_id and w.currency = new.currency
           and (w.ledger_head_id is null or w.ledger_head_id < new.id)
        returning w.ledger_head into head;
        if found then
          new.hash := head;
          return new;
        end if;

        select w.ledger_head_id into head_id from wallets w
         where w.user_id = new.user_id and w.currency = new.currency for update;
        if not found then
          raise exception 'ledger entry for a wallet that does not exist (user %, %)', new.user_id, new.currency
            using errcode = 'foreign_key_violation';
        end if;

        if new.hash is not null then
          -- an entry put back at its old id: only as it was, continuing the entry before it
          select l.hash into prev from ledger_entries l
           where l.user_id = new.user_id and l.currency = new.currency and l.id < new.id
           order by l.id desc limit 1;
          if new.hash = ledger_entry_hash(prev, new.id, new.user_id, new.currency, new.delta, new.balance_after,
               new.reason, new.ref_type, new.ref_id, new.idempotency_key, new.actor, new.created_at, new.meta) then
            return new;
          end if;
          raise exception 'ledger entry % does not continue the hash chain of wallet (user %, %)', new.id, new.user_id,
            new.currency using errcode = 'check_violation';
        end if;

        -- its id was drawn before another writer took the wallet: a new one, after the wallet's newest entry
        new.id := nextval(pg_get_serial_sequence('ledger_entries', 'id'));
        if new.id <= head_id then
          raise exception 'ledger entry id % is not above the newest entry % of wallet (user %, %)', new.id, head_id,
            new.user_id, new.currency using errcode = 'check_violation';
        end if;
        update wallets w
           set ledger_head = ledger_entry_hash(w.ledger_head, new.id, new.user_id, new.currency, new.delta,
                 new.balance_after, new.reason, new.ref_type, new.ref_id, new.idempotency_key, new.actor,
                 new.created_at, new.meta),
               ledger_head_id = new.id
         where w.user_id = new.user_id and w.currency = new.currency
        returning w.ledger_head into new.hash;
        return new;
      end
    $$;`);
    this.addSql(`create trigger "ledger_entries_chain" before insert on "ledger_entries"
      for each row execute function "ledger_entries_chain"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "ledger_entries_chain" on "ledger_entries";`);
    this.addSql(`drop function if exists "ledger_entries_chain"();`);
    this.addSql(`drop function if exists "ledger_entry_hash";`);
    this.addSql(`alter table "wallets" drop column "ledger_head", drop column "ledger_head_id";`);
    this.addSql(`alter table "ledger_entries" drop column "hash";`);
  }
}
