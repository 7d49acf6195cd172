import { Migration } from '@mikro-orm/migrations';

/**
 * Admin jobs and their items. A job is run in chunks by the `admin-jobs` worker; each item is claimed with
 * `FOR UPDATE SKIP LOCKED` (the (job, status, seq) index finds the next pending ones) and its outcome is written in the
 * transaction that applied it. `admin_jobs_active_idx` lets the sweep find PENDING and RUNNING jobs without reading
 * finished ones; the (created_at, id) indexes serve the console's paged list, whole or by status or kind.
 */
export class Migration20261202150100_admin_jobs extends Migration {
  override name = 'Migration20261202150100_admin_jobs';

  override up(): void | Promise<void> {
    this.addSql(`create table "admin_jobs" (
      "id" uuid not null primary key,
      "kind" varchar(40) not null,
      "status" text check ("status" in ('PENDING', 'RUNNING', 'DONE', 'FAILED', 'CANCELED')) not null,
      "params" jsonb not null,
      "total" int not null default 0,
      "succeeded" int not null default 0,
      "failed" int not null default 0,
      "skipped" int not null default 0,
      "created_by" uuid not null,
      "created_by_name" varchar(20) not null,
      "ref_type" varchar(40) null,
      "ref_id" varchar(80) null,
      "cancel_requested" boolean not null default false,
      "created_at" timestamptz not null default now(),
      "started_at" timestamptz null,
      "finished_at" timestamptz null,
      "heartbeat_at" timestamptz null);`);
    this.addSql(`create index "admin_jobs_created_idx" on "admin_jobs" ("created_at", "id");`);
    this.addSql(`create index "admin_jobs_status_idx" on "admin_jobs" ("status", "created_at", "id");`);
    this.addSql(`create index "admin_jobs_kind_idx" on "admin_jobs" ("kind", "created_at", "id");`);
    this.addSql(`create index "admin_jobs_ref_idx" on "admin_jobs" ("ref_type", "ref_id");`);
    this.addSql(`create index "admin_jobs_active_idx" on "admin_jobs" ("status") where "status" in ('PENDING', 'RUNNING');`);
    this.addSql(`create table "admin_job_items" (
      "job_id" uuid not null references "admin_jobs" ("id") on delete cascade,
      "seq" int not null,
      "user_id" uuid null,
      "payload" jsonb not null,
      "status" text check ("status" in ('pending', 'succeeded', 'failed', 'skipped')) not null default 'pending',
      "result" jsonb null,
      "error" varchar(500) null,
      "attempts" int not null default 0,
      "retry_at" timestamptz null,
      "finished_at" timestamptz null,
      primary key ("job_id", "seq"));`);
    this.addSql(`create index "admin_job_items_status_idx" on "admin_job_items" ("job_id", "status", "seq");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "admin_job_items";`);
    this.addSql(`drop table if exists "admin_jobs";`);
  }
}
