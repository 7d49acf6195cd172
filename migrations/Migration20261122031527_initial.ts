import { Migration } from '@mikro-orm/migrations';

export class Migration20261122031527_initial extends Migration {
  override name = 'Migration20261122031527_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "auth_sessions" ("id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(32) null, "user_agent" varchar(255) null, "ip" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create index "auth_sessions_user_id_index" on "auth_sessions" ("user_id");`);

    this.addSql(
      `create table "ledger_entries" ("id" bigserial primary key, "user_id" uuid not null, "currency" text not null, "delta" bigint not null, "balance_after" bigint not null, "reason" varchar(32) not null, "ref_type" varchar(32) null, "ref_id" varchar(64) null, "idempotency_key" varchar(200) null, "actor" varchar(64) not null default 'system', "meta" jsonb null, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "ledger_entries_wallet_idx" on "ledger_entries" ("user_id", "currency", "id");`);

    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "session_id" uuid not null, "user_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "created_at" timestamptz not null, "used_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "refresh_tokens_session_id_index" on "refresh_tokens" ("session_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(
      `create table "users" ("id" uuid not null, "username" varchar(20) not null, "username_key" varchar(20) not null, "password_hash" varchar(255) not null, "role" text not null default 'player', "status" text not null default 'active', "level" int not null default 1, "xp" bigint not null default '0', "created_at" timestamptz not null, "last_login_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_username_key_unique" unique ("username_key");`);

    this.addSql(
      `create table "wallets" ("user_id" uuid not null, "currency" text not null, "balance" bigint not null default '0', "version" int not null default 0, "updated_at" timestamptz not null, primary key ("user_id", "currency"));`,
    );

    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_delta_non_zero" check (delta <> 0);`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_balance_after_non_negative" check (balance_after >= 0);`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_currency_check" check ("currency" in ('GOLD', 'GEM'));`);

    this.addSql(
      `alter table "users" add constraint "users_role_check" check ("role" in ('player', 'viewer', 'support', 'operator', 'admin'));`,
    );
    this.addSql(`alter table "users" add constraint "users_status_check" check ("status" in ('active', 'suspended', 'banned'));`);

    this.addSql(`alter table "wallets" add constraint "wallets_balance_non_negative" check (balance >= 0);`);
    this.addSql(`alter table "wallets" add constraint "wallets_currency_check" check ("currency" in ('GOLD', 'GEM'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "auth_sessions" cascade;`);
    this.addSql(`drop table if exists "ledger_entries" cascade;`);
    this.addSql(`drop table if exists "refresh_tokens" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "wallets" cascade;`);
  }
}
