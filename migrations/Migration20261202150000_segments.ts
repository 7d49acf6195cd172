import { Migration } from '@mikro-orm/migrations';

/**
 * Segments and player tags. `segments` holds saved rules (JSON, validated by the server) under an optimistic version;
 * `player_tags` one row per (player, tag). Indexes for a segment preview over 100,000 players, which reads each
 * table a rule names in one pass: `player_tags (tag, user_id)` finds a tag's players without reading every tag (the
 * primary key starts with the player); `purchases (created_at) where status = 'succeeded'` reads only a window's
 * completed purchases for the purchase count and revenue facts (`purchases_user_idx` starts with the player). Game
 * session windows use `game_sessions_started_idx`, balances `wallets_currency_balance_idx`, levels and dates the
 * players grid's indexes on `users`.
 */
export class Migration20261202150000_segments extends Migration {
  override name = 'Migration20261202150000_segments';

  override up(): void | Promise<void> {
    this.addSql(`create table "segments" (
      "id" uuid not null primary key,
      "name" varchar(80) not null,
      "description" varchar(500) not null default '',
      "rule" jsonb not null,
      "version" int not null default 1,
      "created_by" uuid not null,
      "created_by_name" varchar(20) not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      constraint "segments_name_unique" unique ("name"));`);
    this.addSql(`create index "segments_updated_idx" on "segments" ("updated_at", "id");`);

    this.addSql(`create table "player_tags" (
      "user_id" uuid not null,
      "tag" varchar(32) not null,
      "created_at" timestamptz not null,
      primary key ("user_id", "tag"));`);
    this.addSql(`create index "player_tags_tag_idx" on "player_tags" ("tag", "user_id");`);
    this.addSql(`create index "purchases_succeeded_created_idx" on "purchases" ("created_at") where "status" = 'succeeded';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "purchases_succeeded_created_idx";`);
    this.addSql(`drop table if exists "player_tags";`);
    this.addSql(`drop table if exists "segments";`);
  }
}
