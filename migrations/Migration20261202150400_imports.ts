import { Migration } from '@mikro-orm/migrations';

/**
 * CSV imports: `imports` holds each upload's kind, validation counts and what applying it made (operation ids, job
 * id); `import_chunks` holds its valid rows and its problems as JSON arrays of 1,000, so 10,000 rows are ten inserts.
 */
export class Migration20261202150400_imports extends Migration {
  override name = 'Migration20261202150400_imports';

  override up(): void | Promise<void> {
    this.addSql(`create table "imports" (
      "id" uuid not null primary key,
      "kind" text check ("kind" in ('player_tags', 'grants', 'products')) not null,
      "filename" varchar(255) not null,
      "status" text check ("status" in ('validated', 'applying', 'applied', 'failed')) not null,
      "row_count" int not null,
      "valid_count" int not null,
      "invalid_count" int not null,
      "duplicate_count" int not null,
      "error_count" int not null,
      "took_ms" int not null,
      "created_by" uuid not null,
      "created_by_name" varchar(20) not null,
      "operation_ids" jsonb not null,
      "job_id" uuid null,
      "error" varchar(255) null,
      "created_at" timestamptz not null,
      "applied_at" timestamptz null);`);
    this.addSql(`create index "imports_created_idx" on "imports" ("created_at", "id");`);
    this.addSql(`create table "import_chunks" (
      "import_id" uuid not null,
      "part" text check ("part" in ('rows', 'errors')) not null,
      "seq" int not null,
      "data" jsonb not null,
      primary key ("import_id", "part", "seq"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "import_chunks";`);
    this.addSql(`drop table if exists "imports";`);
  }
}
