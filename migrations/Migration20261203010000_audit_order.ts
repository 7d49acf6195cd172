import { Migration } from '@mikro-orm/migrations';

/**
 * The audit log's order is the order rows were written. `at` has millisecond precision, so two entries written in the
 * same millisecond used to be ordered by their random id; `seq` (an identity) breaks such ties the way they happened.
 * Adding the column rewrites the table without firing the append-only row triggers.
 */
export class Migration20261203010000_audit_order extends Migration {
  override name = 'Migration20261203010000_audit_order';

  override up(): void | Promise<void> {
    this.addSql(`alter table "audit_log" add "seq" bigint generated always as identity;`);
    this.addSql(`drop index "audit_log_at_idx";`);
    this.addSql(`create index "audit_log_at_idx" on "audit_log" ("at", "seq");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "audit_log_at_idx";`);
    this.addSql(`alter table "audit_log" drop column "seq";`);
    this.addSql(`create index "audit_log_at_idx" on "audit_log" ("at", "id");`);
  }
}
