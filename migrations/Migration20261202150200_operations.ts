import { Migration } from '@mikro-orm/migrations';

/**
 * Bulk operations of the live-ops console: one row per operation (kind, parameters and target as JSON, its status in
 * draft → shadow → apply → undo, the job of each step, the shadow's plan fingerprint and the totals of each step).
 */
export class Migration20261202150200_operations extends Migration {
  override name = 'Migration20261202150200_operations';

  override up(): void | Promise<void> {
    this.addSql(`create table "operations" (
      "id" uuid not null primary key,
      "kind" text check ("kind" in ('grant_currency', 'deduct_currency', 'grant_item', 'notify', 'tag_add', 'tag_remove', 'set_status')) not null,
      "params" jsonb not null,
      "target" jsonb not null,
      "status" text check ("status" in ('draft', 'shadowing', 'shadowed', 'applying', 'applied', 'undoing', 'undone', 'failed', 'canceled')) not null,
      "shadow_job_id" uuid null,
      "apply_job_id" uuid null,
      "undo_job_id" uuid null,
      "plan" jsonb null,
      "totals" jsonb not null default '{}',
      "created_by" uuid not null,
      "created_by_name" varchar(20) not null,
      "version" int not null default 1,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(`create index "operations_created_idx" on "operations" ("created_at", "id");`);
    this.addSql(`create index "operations_status_idx" on "operations" ("status", "created_at", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "operations";`);
  }
}
