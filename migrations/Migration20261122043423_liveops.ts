import { Migration } from '@mikro-orm/migrations';

export class Migration20261122043423_liveops extends Migration {
  override name = 'Migration20261122043423_liveops';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "event_participations" ("id" uuid not null, "user_id" uuid not null, "event_id" uuid not null, "period_key" varchar(16) not null, "progress" bigint not null default '0', "progress_version" int not null default 0, "last_progress_at" timestamptz null, "status" text not null default 'active', "joined_at" timestamptz not null, "claimed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "event_participations" add constraint "event_participations_unique" unique ("user_id", "event_id", "period_key");`,
    );

    this.addSql(
      `create table "events" ("id" uuid not null, "code" varchar(40) not null, "name" varchar(80) not null, "description" varchar(255) not null default '', "type" text not null, "condition" jsonb not null, "reward" jsonb not null, "starts_at" timestamptz null, "ends_at" timestamptz null, "active" boolean not null default true, "rank" int not null default 0, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "events" add constraint "events_code_unique" unique ("code");`);

    this.addSql(
      `create table "missions" ("id" uuid not null, "code" varchar(40) not null, "name" varchar(80) not null, "period" text not null, "condition" jsonb not null, "reward" jsonb not null, "active" boolean not null default true, "rank" int not null default 0, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "missions" add constraint "missions_code_unique" unique ("code");`);

    this.addSql(
      `create table "outbox" ("id" bigserial primary key, "event_type" varchar(48) not null, "user_id" uuid null, "payload" jsonb not null, "trace_id" varchar(64) null, "version" int not null default 1, "created_at" timestamptz not null, "published_at" timestamptz null, "attempts" int not null default 0, "last_error" varchar(255) null, "dead_at" timestamptz null);`,
    );
    this.addSql(`create index "outbox_pending_idx" on "outbox" ("id") where "published_at" is null and "dead_at" is null;`);

    this.addSql(
      `create table "reward_grants" ("id" uuid not null, "grant_key" varchar(200) not null, "user_id" uuid not null, "source" varchar(32) not null, "source_id" varchar(64) null, "bundle" jsonb not null, "result" text not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "reward_grants" add constraint "reward_grants_grant_key_unique" unique ("grant_key");`);
    this.addSql(`create index "reward_grants_user_idx" on "reward_grants" ("user_id", "created_at");`);

    this.addSql(
      `create table "streaks" ("user_id" uuid not null, "state" jsonb not null, "updated_at" timestamptz not null, primary key ("user_id"));`,
    );

    this.addSql(
      `create table "user_missions" ("id" uuid not null, "user_id" uuid not null, "mission_id" uuid not null, "period_key" varchar(16) not null, "progress" bigint not null default '0', "progress_version" int not null default 0, "last_progress_at" timestamptz null, "status" text not null default 'active', "claimed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "user_missions" add constraint "user_missions_unique" unique ("user_id", "mission_id", "period_key");`);

    this.addSql(`alter table "game_sessions" add "wins" int not null default 0, add "pulls" int not null default 0;`);

    this.addSql(
      `alter table "event_participations" add constraint "event_participations_status_check" check ("status" in ('active', 'claimable', 'claimed', 'expired'));`,
    );

    this.addSql(`alter table "events" add constraint "events_type_check" check ("type" in ('daily', 'limited', 'progression'));`);

    this.addSql(`alter table "missions" add constraint "missions_period_check" check ("period" in ('daily', 'weekly', 'achievement'));`);

    this.addSql(
      `alter table "user_missions" add constraint "user_missions_status_check" check ("status" in ('active', 'claimable', 'claimed', 'expired'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "event_participations" cascade;`);
    this.addSql(`drop table if exists "events" cascade;`);
    this.addSql(`drop table if exists "missions" cascade;`);
    this.addSql(`drop table if exists "outbox" cascade;`);
    this.addSql(`drop table if exists "reward_grants" cascade;`);
    this.addSql(`drop table if exists "streaks" cascade;`);
    this.addSql(`drop table if exists "user_missions" cascade;`);

    this.addSql(`alter table "game_sessions" drop column "wins", drop column "pulls";`);
  }
}
