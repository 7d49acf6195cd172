import { Migration } from '@mikro-orm/migrations';

/**
 * The economy telemetry reads the ledger by `created_at` range (a day, a week). No index had that column, so every
 * read scanned the whole table. A BRIN index fits: the ledger is append-only, rows land in `created_at` order, and
 * the index is a few pages that a spin's insert barely touches (a B-tree on the hottest insert path would cost more).
 */
export class Migration20261203120000_ledger_created_brin extends Migration {
  override name = 'Migration20261203120000_ledger_created_brin';

  override up(): void | Promise<void> {
    this.addSql(`create index "ledger_entries_created_brin" on "ledger_entries" using brin ("created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "ledger_entries_created_brin";`);
  }
}
