import { Migration } from '@mikro-orm/migrations';

export class Migration20261122033004_games extends Migration {
  override name = 'Migration20261122033004_games';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "crash_chains" ("id" uuid not null, "length" int not null, "seed" varchar(64) not null, "terminating_hash" varchar(64) not null, "salt" varchar(64) not null, "checkpoint_every" int not null, "checkpoints" jsonb not null, "rounds_used" int not null default 0, "active" boolean not null default true, "created_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "crash_rounds" ("id" uuid not null, "chain_id" uuid not null, "position" int not null, "round_hash" varchar(64) not null, "crash_point" int not null, "room_id" varchar(32) not null, "owner" varchar(64) not null, "status" text not null default 'betting', "started_at" timestamptz not null, "crashed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "crash_rounds" add constraint "crash_rounds_chain_position_unique" unique ("chain_id", "position");`);

    this.addSql(
      `create table "fairness_seeds" ("id" uuid not null, "user_id" uuid not null, "server_seed" varchar(64) not null, "server_seed_hash" varchar(64) not null, "client_seed" varchar(64) not null, "next_nonce" int not null default 0, "created_at" timestamptz not null, "revealed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "fairness_seeds_user_id_index" on "fairness_seeds" ("user_id");`);
    this.addSql(`create unique index "fairness_seeds_one_active" on "fairness_seeds" ("user_id") where "revealed_at" is null;`);

    this.addSql(
      `create table "gacha_pity" ("user_id" uuid not null, "banner_id" varchar(32) not null, "state" jsonb not null, "pulls" int not null default 0, "updated_at" timestamptz not null, primary key ("user_id", "banner_id"));`,
    );

    this.addSql(
      `create table "game_rounds" ("id" uuid not null, "game" text not null, "user_id" uuid not null, "session_id" uuid null, "group_id" varchar(64) null, "currency" text not null default 'GOLD', "bet" bigint not null default '0', "payout" bigint not null default '0', "multiplier" int not null default 0, "outcome" jsonb not null, "fairness" jsonb not null, "seed_id" uuid null, "status" text not null default 'open', "owner" varchar(64) not null, "created_at" timestamptz not null, "settled_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "game_rounds_user_idx" on "game_rounds" ("user_id", "created_at");`);
    this.addSql(`create index "game_rounds_open_idx" on "game_rounds" ("owner") where "status" = 'open';`);
    this.addSql(`create index "game_rounds_seed_idx" on "game_rounds" ("seed_id");`);

    this.addSql(
      `create table "game_sessions" ("id" uuid not null, "user_id" uuid not null, "game" text not null, "room_id" varchar(32) not null, "owner" varchar(64) not null, "status" text not null default 'open', "started_at" timestamptz not null, "ended_at" timestamptz null, "rounds" int not null default 0, "wagered" bigint not null default '0', "won" bigint not null default '0', "biggest_win" bigint not null default '0', "biggest_multiplier" int not null default 0, primary key ("id"));`,
    );
    this.addSql(`create index "game_sessions_user_idx" on "game_sessions" ("user_id", "started_at");`);
    this.addSql(`create index "game_sessions_open_idx" on "game_sessions" ("owner") where "status" = 'open';`);

    this.addSql(
      `create table "game_stats" ("user_id" uuid not null, "game" text not null, "sessions" int not null default 0, "rounds" int not null default 0, "wagered" bigint not null default '0', "won" bigint not null default '0', "biggest_win" bigint not null default '0', "biggest_multiplier" int not null default 0, "updated_at" timestamptz not null, primary key ("user_id", "game"));`,
    );

    this.addSql(
      `create table "inventory_items" ("id" uuid not null, "user_id" uuid not null, "item_id" varchar(64) not null, "quantity" int not null default 1, "source" varchar(32) not null, "acquired_at" timestamptz not null, "expires_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "inventory_items_user_id_index" on "inventory_items" ("user_id");`);
    this.addSql(`alter table "inventory_items" add constraint "inventory_items_user_item_unique" unique ("user_id", "item_id");`);

    this.addSql(
      `alter table "crash_rounds" add constraint "crash_rounds_status_check" check ("status" in ('betting', 'running', 'crashed', 'voided'));`,
    );

    this.addSql(`alter table "game_rounds" add constraint "game_rounds_game_check" check ("game" in ('slot', 'crash', 'rps', 'gacha'));`);
    this.addSql(`alter table "game_rounds" add constraint "game_rounds_currency_check" check ("currency" in ('GOLD', 'GEM'));`);
    this.addSql(`alter table "game_rounds" add constraint "game_rounds_status_check" check ("status" in ('open', 'settled', 'refunded'));`);

    this.addSql(
      `alter table "game_sessions" add constraint "game_sessions_game_check" check ("game" in ('slot', 'crash', 'rps', 'gacha'));`,
    );
    this.addSql(
      `alter table "game_sessions" add constraint "game_sessions_status_check" check ("status" in ('open', 'closed', 'recovered'));`,
    );

    this.addSql(`alter table "game_stats" add constraint "game_stats_game_check" check ("game" in ('slot', 'crash', 'rps', 'gacha'));`);

    this.addSql(`alter table "inventory_items" add constraint "inventory_items_quantity_non_negative" check (quantity >= 0);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "crash_chains" cascade;`);
    this.addSql(`drop table if exists "crash_rounds" cascade;`);
    this.addSql(`drop table if exists "fairness_seeds" cascade;`);
    this.addSql(`drop table if exists "gacha_pity" cascade;`);
    this.addSql(`drop table if exists "game_rounds" cascade;`);
    this.addSql(`drop table if exists "game_sessions" cascade;`);
    this.addSql(`drop table if exists "game_stats" cascade;`);
    this.addSql(`drop table if exists "inventory_items" cascade;`);
  }
}
