import { Migration } from '@mikro-orm/migrations';

export class Migration20261122043840_outbox_retry extends Migration {
  override name = 'Migration20261122043840_outbox_retry';

  override up(): void | Promise<void> {
    this.addSql(`alter table "outbox" add "next_attempt_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "outbox" drop column "next_attempt_at";`);
  }
}
