import { Migration } from '@mikro-orm/migrations';

export class Migration20261122042136_shop extends Migration {
  override name = 'Migration20261122042136_shop';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "idempotency_keys" ("user_id" uuid not null, "key" varchar(200) not null, "request_hash" varchar(64) not null, "status_code" int null, "response" text null, "created_at" timestamptz not null, primary key ("user_id", "key"));`,
    );

    this.addSql(
      `create table "payment_events" ("id" uuid not null, "provider_event_id" varchar(64) not null, "receipt_code" varchar(32) not null, "status" varchar(16) not null, "result" jsonb not null, "received_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "payment_events" add constraint "payment_events_provider_event_id_unique" unique ("provider_event_id");`);

    this.addSql(
      `create table "products" ("id" uuid not null, "sku" varchar(40) not null, "name" varchar(80) not null, "description" varchar(255) not null default '', "kind" text not null, "price" bigint not null, "price_currency" text not null, "discount_pct" int not null default 0, "grants" jsonb not null, "bonus" jsonb null, "one_time" boolean not null default false, "stock_total" int null, "stock_remaining" int null, "per_user_cap" int null, "sale_starts_at" timestamptz null, "sale_ends_at" timestamptz null, "active" boolean not null default true, "rank" int not null default 0, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "products" add constraint "products_sku_unique" unique ("sku");`);

    this.addSql(
      `create table "purchases" ("id" uuid not null, "user_id" uuid not null, "product_id" uuid not null, "sku" varchar(40) not null, "quantity" int not null, "unit_price" bigint not null, "total_price" bigint not null, "price_currency" text not null, "one_time" boolean not null default false, "status" text not null, "receipt_code" varchar(32) null, "created_at" timestamptz not null, "completed_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`alter table "purchases" add constraint "purchases_receipt_code_unique" unique ("receipt_code");`);
    this.addSql(
      `create unique index "purchases_one_time_unique" on "purchases" ("user_id", "product_id") where "one_time" and "status" in ('pending', 'succeeded');`,
    );
    this.addSql(`create index "purchases_user_idx" on "purchases" ("user_id", "created_at");`);
    this.addSql(`create index "purchases_pending_idx" on "purchases" ("created_at") where "status" = 'pending';`);

    this.addSql(
      `create table "stock_holds" ("id" uuid not null, "product_id" uuid not null, "purchase_id" uuid not null, "quantity" int not null, "status" text not null default 'held', "expires_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "stock_holds" add constraint "stock_holds_purchase_id_unique" unique ("purchase_id");`);

    this.addSql(`alter table "products" add constraint "products_discount_range" check (discount_pct between 0 and 95);`);
    this.addSql(`alter table "products" add constraint "products_price_positive" check (price > 0);`);
    this.addSql(
      `alter table "products" add constraint "products_stock_non_negative" check (stock_remaining is null or (stock_remaining >= 0 and stock_remaining <= stock_total));`,
    );
    this.addSql(
      `alter table "products" add constraint "products_kind_check" check ("kind" in ('currency_pack', 'item', 'booster', 'bundle'));`,
    );
    this.addSql(
      `alter table "products" add constraint "products_price_currency_check" check ("price_currency" in ('GOLD', 'GEM', 'USD'));`,
    );

    this.addSql(
      `alter table "purchases" add constraint "purchases_price_currency_check" check ("price_currency" in ('GOLD', 'GEM', 'USD'));`,
    );
    this.addSql(
      `alter table "purchases" add constraint "purchases_status_check" check ("status" in ('pending', 'succeeded', 'failed', 'refunded', 'voided'));`,
    );

    this.addSql(
      `alter table "stock_holds" add constraint "stock_holds_status_check" check ("status" in ('held', 'consumed', 'released'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
    this.addSql(`drop table if exists "payment_events" cascade;`);
    this.addSql(`drop table if exists "products" cascade;`);
    this.addSql(`drop table if exists "purchases" cascade;`);
    this.addSql(`drop table if exists "stock_holds" cascade;`);
  }
}
