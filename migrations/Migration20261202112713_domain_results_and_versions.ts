import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys store the operation's result instead of the HTTP response (the route now builds the response
 * from it); the keys stored before are converted, so they still replay. Products, events and missions get a
 * `version` column for optimistic locking.
 */
export class Migration20261202112713_domain_results_and_versions extends Migration {
  override name = 'Migration20261202112713_domain_results_and_versions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "idempotency_keys" rename column "response" to "result";`);
    this.addSql(`update "idempotency_keys" k set "result" = (case
        when k."key" like 'shop.purchase:%' and k."status_code" = 202 then jsonb_build_object(
          'kind', 'pending', 'purchaseId', o.r->'purchase_id', 'sku', o.r->'sku', 'quantity', o.r->'quantity', 'amount', o.r->'amount',
          'currency', o.r->'currency', 'receiptCode', o.r->'receipt_code', 'grants', o.r->'grants')
        when k."key" like 'shop.purchase:%' then jsonb_build_object(
          'kind', 'completed', 'purchaseId', o.r->'purchase_id', 'sku', o.r->'sku', 'quantity', o.r->'quantity', 'paid', o.r->'paid',
          'granted', o.r->'granted', 'balances', o.r->'balances')
        else jsonb_build_object('grant', o.r - 'applied' - 'progress_version', 'applied', o.r->'applied', 'progressVersion', o.r->'progress_version')
      end)::text
      from (select "user_id", "key", "result"::jsonb as r from "idempotency_keys" where "status_code" is not null) o
      where k."user_id" = o."user_id" and k."key" = o."key";`);
    this.addSql(`alter table "idempotency_keys" drop column "status_code";`);

    this.addSql(`alter table "events" add "version" int not null default 1;`);
    this.addSql(`alter table "missions" add "version" int not null default 1;`);
    this.addSql(`alter table "products" add "version" int not null default 1;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "events" drop column "version";`);
    this.addSql(`alter table "missions" drop column "version";`);
    this.addSql(`alter table "products" drop column "version";`);

    this.addSql(`alter table "idempotency_keys" add "status_code" int null;`);
    this.addSql(`update "idempotency_keys" k set
        "status_code" = case when o.r->>'kind' = 'pending' then 202 else 200 end,
        "result" = (case
          when o.r->>'kind' = 'pending' then jsonb_build_object(
            'purchase_id', o.r->'purchaseId', 'status', 'pending', 'sku', o.r->'sku', 'quantity', o.r->'quantity', 'amount', o.r->'amount',
            'currency', o.r->'currency', 'receipt_code', o.r->'receiptCode', 'grants', o.r->'grants')
          when o.r->>'kind' = 'completed' then jsonb_build_object(
            'purchase_id', o.r->'purchaseId', 'status', 'succeeded', 'sku', o.r->'sku', 'quantity', o.r->'quantity', 'paid', o.r->'paid',
            'granted', o.r->'granted', 'balances', o.r->'balances')
          else (o.r->'grant') || jsonb_build_object('applied', o.r->'applied', 'progress_version', o.r->'progressVersion')
        end)::text
      from (select "user_id", "key", "result"::jsonb as r from "idempotency_keys" where "result" is not null) o
      where k."user_id" = o."user_id" and k."key" = o."key";`);
    this.addSql(`alter table "idempotency_keys" rename column "result" to "response";`);
  }
}
