import { Migration } from '@mikro-orm/migrations';

/**
 * The admin players grid and wallet adjustments. `users` gets `last_seen_at` (kept by triggers: a refresh token issued
 * — sign-up, login, refresh — or a game session opened or closed) and `wagered_7d` (a rollup over the last 7 days of
 * game sessions, refreshed by the admin players service), with one partial index per sort of the grid (players only),
 * a prefix index on the username key and a (currency, balance) index on wallets. Adjustments above the approval
 * threshold wait in `wallet_adjustments` until a second operator approves them.
 */
export class Migration20261202140000_admin_players extends Migration {
  override name = 'Migration20261202140000_admin_players';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "last_seen_at" timestamptz null, add "wagered_7d" bigint not null default 0;`);
    this.addSql(`update "users" set "last_seen_at" = coalesce("last_login_at", "created_at");`);
    this.addSql(`alter table "users" alter column "last_seen_at" set default now(), alter column "last_seen_at" set not null;`);
    for (const [name, column] of SORT_INDEXES) {
      this.addSql(`create index "${name}" on "users" (${column}, "id") where "role" = 'player';`);
    }
    // the rarer statuses (banned, suspended) are read from here, then sorted, instead of walking a sort index past every active player
    this.addSql(`create index "users_players_status_idx" on "users" ("status") where "role" = 'player';`);
    this.addSql(`create index "users_username_key_prefix_idx" on "users" ("username_key" varchar_pattern_ops) where "role" = 'player';`);
    this.addSql(`create index "wallets_currency_balance_idx" on "wallets" ("currency", "balance", "user_id");`);
    this.addSql(`create index "game_sessions_started_idx" on "game_sessions" ("started_at");`);

    this.addSql(`create function "users_touch_last_seen"() returns trigger language plpgsql as $$
      begin
        update "users" set "last_seen_at" = now() where "id" = new."user_id" and "last_seen_at" < now();
        return null;
      end $$;`);
    this.addSql(`create trigger "refresh_tokens_last_seen" after insert on "refresh_tokens"
      for each row execute function "users_touch_last_seen"();`);
    this.addSql(`create trigger "game_sessions_last_seen" after insert or update of "ended_at" on "game_sessions"
      for each row execute function "users_touch_last_seen"();`);

    this.addSql(`create table "wallet_adjustments" (
      "id" uuid not null primary key,
      "user_id" uuid not null,
      "currency" text check ("currency" in ('GOLD', 'GEM')) not null,
      "amount" bigint not null check ("amount" <> 0),
      "reason" varchar(32) not null,
      "note" varchar(500) not null default '',
      "status" text check ("status" in ('pending', 'applied', 'rejected', 'failed')) not null,
      "requested_by" uuid not null,
      "requested_by_name" varchar(20) not null,
      "request_id" varchar(64) null,
      "decided_by" uuid null,
      "decided_by_name" varchar(20) null,
      "decided_at" timestamptz null,
      "ledger_entry_id" bigint null,
      "error" varchar(64) null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create index "wallet_adjustments_status_idx" on "wallet_adjustments" ("status", "created_at", "id");`);
    this.addSql(`create index "wallet_adjustments_user_idx" on "wallet_adjustments" ("user_id", "created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "wallet_adjustments";`);
    this.addSql(`drop trigger if exists "game_sessions_last_seen" on "game_sessions";`);
    this.addSql(`drop trigger if exists "refresh_tokens_last_seen" on "refresh_tokens";`);
    this.addSql(`drop function if exists "users_touch_last_seen"();`);
    this.addSql(`drop index if exists "game_sessions_started_idx";`);
    this.addSql(`drop index if exists "wallets_currency_balance_idx";`);
    this.addSql(`drop index if exists "users_username_key_prefix_idx";`);
    this.addSql(`drop index if exists "users_players_status_idx";`);
    for (const [name] of SORT_INDEXES) this.addSql(`drop index if exists "${name}";`);
    this.addSql(`alter table "users" drop column "last_seen_at", drop column "wagered_7d";`);
  }
}

/** One index per sort of the players grid that is a column of `users` (ties broken by id). */
const SORT_INDEXES = [
  ['users_players_created_idx', '"created_at"'],
  ['users_players_last_seen_idx', '"last_seen_at"'],
  ['users_players_level_idx', '"level"'],
  ['users_players_wagered_7d_idx', '"wagered_7d"'],
] as const;
