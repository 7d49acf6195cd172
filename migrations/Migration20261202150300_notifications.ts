import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications and the player inbox. An operator's notification (`notifications`) is delivered at `scheduled_at` into
 * every targeted player's inbox (`inbox_messages`); `(user_id, dedupe_key)` is unique, so a dedupe key delivers at most
 * once to a player, whichever notification (or operation) carries it. A player's inbox is read newest first, and the
 * unread count comes from a partial index.
 */
export class Migration20261202150300_notifications extends Migration {
  override name = 'Migration20261202150300_notifications';

  override up(): void | Promise<void> {
    this.addSql(`create table "notifications" (
      "id" uuid not null primary key,
      "title" varchar(80) not null,
      "body" varchar(500) not null,
      "deep_link" text check ("deep_link" in ('slot', 'crash', 'rps', 'gacha', 'shop')) null,
      "target" jsonb not null,
      "scheduled_at" timestamptz not null,
      "status" text check ("status" in ('scheduled', 'sending', 'sent', 'canceled', 'failed')) not null,
      "dedupe_key" varchar(64) not null,
      "attempts" int not null default 0,
      "last_error" varchar(500) null,
      "created_by" uuid not null,
      "created_by_name" varchar(20) not null,
      "targeted" int not null default 0,
      "delivered" int not null default 0,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "sent_at" timestamptz null);`);
    this.addSql(`create index "notifications_created_idx" on "notifications" ("created_at", "id");`);
    this.addSql(`create index "notifications_status_idx" on "notifications" ("status", "created_at", "id");`);

    this.addSql(`create table "inbox_messages" (
      "id" uuid not null primary key,
      "user_id" uuid not null,
      "notification_id" uuid null,
      "title" varchar(80) not null,
      "body" varchar(500) not null,
      "deep_link" text check ("deep_link" in ('slot', 'crash', 'rps', 'gacha', 'shop')) null,
      "dedupe_key" varchar(64) not null,
      "created_at" timestamptz not null default now(),
      "read_at" timestamptz null);`);
    this.addSql(`create unique index "inbox_messages_user_dedupe_uq" on "inbox_messages" ("user_id", "dedupe_key");`);
    this.addSql(`create index "inbox_messages_user_created_idx" on "inbox_messages" ("user_id", "created_at", "id");`);
    this.addSql(`create index "inbox_messages_unread_idx" on "inbox_messages" ("user_id") where "read_at" is null;`);
    this.addSql(`create index "inbox_messages_notification_idx" on "inbox_messages" ("notification_id", "read_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "inbox_messages";`);
    this.addSql(`drop table if exists "notifications";`);
  }
}
