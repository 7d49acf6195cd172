import { Migration } from '@mikro-orm/migrations';

/**
 * Event and mission authoring. Missions get a schedule (`starts_at`, `ends_at`, both optional) that the live-ops loop
 * honours as it does an event's, and every operator's edit of an event or a mission keeps the definition it replaced
 * in `content_revisions` (one row per replaced version).
 */
export class Migration20261202150500_content_authoring extends Migration {
  override name = 'Migration20261202150500_content_authoring';

  override up(): void | Promise<void> {
    this.addSql(`alter table "missions" add "starts_at" timestamptz null, add "ends_at" timestamptz null;`);
    this.addSql(`create table "content_revisions" (
      "id" uuid not null primary key,
      "kind" text check ("kind" in ('event', 'mission')) not null,
      "content_id" uuid not null,
      "version" int not null,
      "definition" jsonb not null,
      "edited_by" uuid null,
      "edited_by_name" varchar(20) null,
      "at" timestamptz not null default now());`);
    this.addSql(
      `alter table "content_revisions" add constraint "content_revisions_version_unique" unique ("kind", "content_id", "version");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "content_revisions";`);
    this.addSql(`alter table "missions" drop column if exists "starts_at", drop column if exists "ends_at";`);
  }
}
