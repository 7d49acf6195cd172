import { Migration } from '@mikro-orm/migrations';

/**
 * Claims stored under an Idempotency-Key hold the reward grant as the service returns it, now in camelCase
 * (`grantKey`, `rewardItems`, `newBalances`); the keys stored before are converted, so they still replay.
 * `reward_grants.result` keeps its snake_case form and is not touched.
 */
export class Migration20261202123900_grant_results_camel_case extends Migration {
  override name = 'Migration20261202123900_grant_results_camel_case';

  override up(): void | Promise<void> {
    this.addSql(`update "idempotency_keys" k set "result" = jsonb_set(o.r, '{grant}',
        jsonb_build_object('grantKey', o.g->'grant_key', 'rewardItems', o.g->'reward_items', 'newBalances', o.g->'new_balances')
        || case when o.g ? 'xp' then jsonb_build_object('xp', o.g->'xp', 'level', o.g->'level') else '{}'::jsonb end)::text
      from (select "user_id", "key", "result"::jsonb as r, "result"::jsonb->'grant' as g from "idempotency_keys"
             where "key" like 'claim:%' and "result" is not null) o
      where k."user_id" = o."user_id" and k."key" = o."key" and o.g ? 'grant_key';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`update "idempotency_keys" k set "result" = jsonb_set(o.r, '{grant}',
        jsonb_build_object('grant_key', o.g->'grantKey', 'reward_items', o.g->'rewardItems', 'new_balances', o.g->'newBalances')
        || case when o.g ? 'xp' then jsonb_build_object('xp', o.g->'xp', 'level', o.g->'level') else '{}'::jsonb end)::text
      from (select "user_id", "key", "result"::jsonb as r, "result"::jsonb->'grant' as g from "idempotency_keys"
             where "key" like 'claim:%' and "result" is not null) o
      where k."user_id" = o."user_id" and k."key" = o."key" and o.g ? 'grantKey';`);
  }
}
