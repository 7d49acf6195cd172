import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { importsTable } from '../../../db/repositories/imports.repository.ts';
import type { HubPublisher } from '../../../infra/hub.publisher.ts';
import type { Actor, AuditService } from '../audit.service.ts';
import type { ProductChange, ProductInput, ShopAdminService } from '../shop-admin.service.ts';
import { IMPORT_PRODUCTS_JOB } from './apply.ts';
import type { JobHandler } from '../jobs/types.ts';
import type { StoredRowOf } from './rows.ts';

/**
 * The job applying a products import: each item creates or updates the product of its SKU through the shop admin
 * service (the same rules as the Shop page), audited as `shop.product.create|update` with the job's id. A row that
 * breaks a rule fails alone. At the end the import is `applied` (with the number of failed rows, if any) or `failed` (no row applied, or canceled), and every shop hears once.
 */
export function importProductsJob(d: { shopAdmin: ShopAdminService; audit: AuditService; hub: HubPublisher }): JobHandler {
  return {
    kind: IMPORT_PRODUCTS_JOB,
    async runItem(em, { job, item }) {
      const row = item.payload as unknown as StoredRowOf<'products'>;
      const actor = job.params.actor as Actor;
      const input = revive(row.input);
      try {
        const id = await importsTable.productIdBySku(em, row.sku);
        let change: ProductChange;
        if (id) change = await d.shopAdmin.update(em, id, input, null);
        else if (row.mode === 'create') change = await d.shopAdmin.create(em, input);
        else return { status: 'failed', error: `row ${row.row}: no product has the SKU ${row.sku} any more` };
        const action = change.before ? 'shop.product.update' : 'shop.product.create';
        const target = { type: 'product', id: change.after.id };
        await d.audit.record(em, { actor, action, target, before: change.before, after: change.after, result: 'ok', jobId: job.id });
        return { status: 'succeeded', result: { row: row.row, product_id: change.after.id, action, version: change.after.version } };
      } catch (err) {
        if (err instanceof DomainError) return { status: 'failed', error: `row ${row.row}: ${err.message}` };
        throw err;
      }
    },
    async onEnd(em, job) {
      const importId = String(job.params.import_id);
      const { succeeded, failed, total } = job.counts;
      const applied = job.status !== 'CANCELED' && succeeded > 0;
      const error =
        job.status === 'DONE'
          ? null
          : `${failed} of ${total} rows failed (see the job's items)${job.status === 'CANCELED' ? ', canceled' : ''}`;
      await importsTable.update(em, importId, {
        status: applied ? 'applied' : 'failed',
        error,
        appliedAt: applied ? new Date() : undefined,
      });
      await d.hub.broadcast('catalog_update', { sku: null, import_id: importId });
    },
  };
}

/** A stored product input back in the service's terms (sale dates as Date). */
function revive(input: Record<string, unknown>): ProductInput {
  const out = { ...input } as ProductInput & Record<string, unknown>;
  for (const key of ['saleStartsAt', 'saleEndsAt'] as const) {
    if (typeof input[key] === 'string') out[key] = new Date(input[key]);
  }
  return out;
}
