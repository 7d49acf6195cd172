import { Migration } from '@mikro-orm/migrations';

/**
 * The admin console's tables: the audit log (append-only: a trigger refuses UPDATE, DELETE and TRUNCATE), the admin
 * writes' idempotency keys, console settings (the admin-writes switch) and operators' notes on players.
 */
export class Migration20261202135136_admin_console extends Migration {
  override name = 'Migration20261202135136_admin_console';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "admin_idempotency_keys" ("actor_id" uuid not null, "key" varchar(128) not null, "fingerprint" varchar(64) not null, "status" text not null, "response_status" int null, "response_body" text null, "started_at" timestamptz not null, "completed_at" timestamptz null, primary key ("actor_id", "key"));`,
    );

    this.addSql(
      `create table "admin_settings" ("key" varchar(64) not null, "value" jsonb not null, "updated_at" timestamptz not null, "updated_by" uuid null, primary key ("key"));`,
    );

    this.addSql(
      `create table "audit_log" ("id" uuid not null, "at" timestamptz not null, "actor_id" uuid null, "actor_name" varchar(20) null, "actor_role" varchar(16) null, "action" varchar(80) not null, "target_type" varchar(40) null, "target_id" varchar(80) null, "before" jsonb null, "after" jsonb null, "result" text not null, "error" varchar(64) null, "request_id" varchar(128) null, "idempotency_key" varchar(128) null, "job_id" varchar(128) null, "ip" varchar(64) null, "user_agent" varchar(255) null, primary key ("id"));`,
    );
    this.addSql(`create index "audit_log_at_idx" on "audit_log" ("at", "id");`);
    this.addSql(`create index "audit_log_actor_idx" on "audit_log" ("actor_id", "at");`);
    this.addSql(`create index "audit_log_target_idx" on "audit_log" ("target_id", "at");`);
    this.addSql(`create index "audit_log_action_idx" on "audit_log" ("action", "at");`);

    this.addSql(
      `create table "player_notes" ("id" uuid not null, "player_id" uuid not null, "author_id" uuid not null, "author_name" varchar(20) not null, "text" varchar(2000) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "player_notes_player_idx" on "player_notes" ("player_id", "created_at", "id");`);

    this.addSql(
      `alter table "admin_idempotency_keys" add constraint "admin_idempotency_keys_status_check" check ("status" in ('running', 'done'));`,
    );

    this.addSql(`alter table "audit_log" add constraint "audit_log_result_check" check ("result" in ('ok', 'denied', 'failed'));`);

    this.addSql(`create function "audit_log_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$;`);
    this.addSql(`create trigger "audit_log_no_update_delete" before update or delete on "audit_log"
      for each row execute function "audit_log_append_only"();`);
    this.addSql(`create trigger "audit_log_no_truncate" before truncate on "audit_log"
      for each statement execute function "audit_log_append_only"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "admin_idempotency_keys" cascade;`);
    this.addSql(`drop table if exists "admin_settings" cascade;`);
    this.addSql(`drop table if exists "audit_log" cascade;`);
    this.addSql(`drop function if exists "audit_log_append_only"();`);
    this.addSql(`drop table if exists "player_notes" cascade;`);
  }
}
