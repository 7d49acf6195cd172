import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the admin console's transaction lookup and KPIs: ledger entries by the row that caused them, rounds by
 * time (rounds per second, series), and outbox events by the round, purchase or reward they announce (the data lag).
 */
export class Migration20261202140000_admin_lookup_indexes extends Migration {
  override name = 'Migration20261202140000_admin_lookup_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "ledger_entries_ref_idx" on "ledger_entries" ("ref_type", "ref_id");`);
    this.addSql(`create index "game_rounds_created_idx" on "game_rounds" ("created_at");`);
    this.addSql(`create index "outbox_round_idx" on "outbox" (("payload" ->> 'round_id')) where "event_type" = 'round_settled';`);
    this.addSql(`create index "outbox_purchase_idx" on "outbox" (("payload" ->> 'purchase_id')) where "event_type" = 'purchase';`);
    this.addSql(`create index "outbox_grant_idx" on "outbox" (("payload" ->> 'grant_key')) where "event_type" = 'reward_granted';`);
  }

  override down(): void | Promise<void> {
    for (const name of [
      'outbox_grant_idx',
      'outbox_purchase_idx',
      'outbox_round_idx',
      'game_rounds_created_idx',
      'ledger_entries_ref_idx',
    ]) {
      this.addSql(`drop index if exists "${name}";`);
    }
  }
}
