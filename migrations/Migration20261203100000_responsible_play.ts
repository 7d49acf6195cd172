import { Migration } from '@mikro-orm/migrations';

/**
 * Responsible play (docs/limits.md). `play_limits`: a player's loss, wager and spend limits, one row per (kind,
 * currency, period), with a pending raise (or removal) and the moment it applies. `play_limit_usage`: running totals
 * per (player, currency) of the current UTC day, week and month, kept only for players who have a limit (written by
 * the round and escrow batches in their own statement). `play_protection`: cool-off / self-exclusion and the reality
 * check interval. `play_limit_history`: every change, who made it, before/after and when it applies.
 */
export class Migration20261203100000_responsible_play extends Migration {
  override name = 'Migration20261203100000_responsible_play';

  override up(): void | Promise<void> {
    this.addSql(`create table "play_limits" (
      "user_id" uuid not null,
      "kind" varchar(8) not null,
      "currency" varchar(8) not null,
      "period" varchar(8) not null,
      "amount" bigint null,
      "pending_amount" bigint null,
      "pending_at" timestamptz null,
      "updated_at" timestamptz not null,
      primary key ("user_id", "kind", "currency", "period"),
      constraint "play_limits_kind_check" check ("kind" in ('loss', 'wager', 'spend')),
      constraint "play_limits_period_check" check ("period" in ('day', 'week', 'month')),
      constraint "play_limits_amount_check" check ("amount" is null or "amount" >= 0));`);

    this.addSql(`create table "play_limit_usage" (
      "user_id" uuid not null,
      "currency" varchar(8) not null,
      "day" date not null,
      "day_wagered" bigint not null default 0,
      "day_loss" bigint not null default 0,
      "week" date not null,
      "week_wagered" bigint not null default 0,
      "week_loss" bigint not null default 0,
      "month" date not null,
      "month_wagered" bigint not null default 0,
      "month_loss" bigint not null default 0,
      primary key ("user_id", "currency"));`);

    this.addSql(`create table "play_protection" (
      "user_id" uuid not null primary key,
      "block_kind" varchar(16) null,
      "block_until" timestamptz null,
      "reality_check_minutes" int null,
      "updated_at" timestamptz not null,
      constraint "play_protection_block_check" check ("block_kind" is null or "block_kind" in ('cool_off', 'self_exclusion')));`);

    this.addSql(`create table "play_limit_history" (
      "id" bigserial primary key,
      "user_id" uuid not null,
      "actor" varchar(64) not null,
      "action" varchar(32) not null,
      "kind" varchar(8) null,
      "currency" varchar(8) null,
      "period" varchar(8) null,
      "before" bigint null,
      "after" bigint null,
      "effective_at" timestamptz not null,
      "detail" jsonb null,
      "created_at" timestamptz not null);`);
    this.addSql(`create index "play_limit_history_user_idx" on "play_limit_history" ("user_id", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "play_limit_history";`);
    this.addSql(`drop table if exists "play_protection";`);
    this.addSql(`drop table if exists "play_limit_usage";`);
    this.addSql(`drop table if exists "play_limits";`);
  }
}
