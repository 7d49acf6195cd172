import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { clampDiscount } from '../../../domain/shop/pricing.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { adminProducts, type AdminProductRow, type ProductFields } from '../../db/repositories/admin-products.repository.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import { decodeCursor, pageOf, type Page } from './keyset.ts';

/** The largest discount an operator may set (the catalog's own rule allows up to 95 %). */
export const ADMIN_MAX_DISCOUNT_PCT = 90;

/** A product change as the audit log records it. */
export interface ProductChange {
  before: AdminProductRow | null;
  after: AdminProductRow;
  changed: boolean;
}

/** A product's editable fields, limited stock given as its total (the remainder follows it). */
export type ProductInput = Omit<ProductFields, 'stockRemaining'>;

/**
 * Products as operators manage them: every product (inactive too), edits under optimistic concurrency (the version the
 * operator saw, `If-Match`), and the players' shop told at once: a change sends `catalog_update` to every hub.
 * The writes take the caller's transaction (the admin write that audits them).
 */
export class ShopAdminService {
  constructor(
    private readonly orm: MikroORM,
    private readonly hub: HubPublisher,
  ) {}

  /** A page of every product (inactive too), by rank then id. */
  async list(opts: { cursor?: string; limit: number; active?: boolean }): Promise<Page<AdminProductRow>> {
    const after = decodeCursor(opts.cursor, { value: 'int', id: 'uuid' });
    const rows = await adminProducts.page(this.em(), { after, limit: opts.limit, active: opts.active });
    return pageOf(rows, opts.limit, (r) => ({ value: String(r.rank), id: r.id }));
  }

  async get(id: string): Promise<AdminProductRow> {
    const row = await adminProducts.byId(this.em(), id);
    if (!row) throw notFound(id);
    return row;
  }

  async create(em: EntityManager, input: ProductInput): Promise<ProductChange> {
    const after = await adminProducts.insert(em, randomUUID(), normalize(input, null));
    if (!after) {
      throw new DomainError('request/invalid', `Invalid request body: body.sku "${input.sku}" is taken by another product.`, {
        issues: [{ path: 'body.sku', message: 'taken by another product', code: 'custom' }],
      });
    }
    return { before: null, after, changed: true };
  }

  /** Edits a product; `ifMatch` (the version the operator saw), when given, must still be current. */
  async update(em: EntityManager, id: string, patch: ProductInput, ifMatch: number | null): Promise<ProductChange> {
    const before = await this.lockCurrent(em, id, ifMatch);
    const after = await adminProducts.update(em, id, normalize(patch, before));
    return { before, after, changed: true };
  }

  /** Switches a product on or off for sale; a product already in that state is left as it is (`changed` false). */
  async setActive(em: EntityManager, id: string, active: boolean, ifMatch: number | null): Promise<ProductChange> {
    const before = await this.lockCurrent(em, id, ifMatch);
    if (before.active === active) return { before, after: before, changed: false };
    return { before, after: await adminProducts.update(em, id, { active }), changed: true };
  }

  /** Tells every connected player's shop that the catalog changed (after the change committed). */
  async announce(change: ProductChange): Promise<void> {
    if (change.changed) await this.hub.broadcast('catalog_update', { sku: change.after.sku, version: change.after.version });
  }

  private async lockCurrent(em: EntityManager, id: string, ifMatch: number | null): Promise<AdminProductRow> {
    const row = await adminProducts.byId(em, id, { lock: true });
    if (!row) throw notFound(id);
    if (ifMatch !== null && ifMatch !== row.version) {
      throw new DomainError('shop/stale_version', `The product changed meanwhile (version ${row.version}, you saw ${ifMatch}).`, {
        current_version: row.version,
      });
    }
    return row;
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}

/** Applies the product rules an operator's input must follow: discount clamped 0–90 %, stock remainder, sale window. */
function normalize(input: ProductInput, before: AdminProductRow | null): ProductFields {
  const out: ProductFields = { ...input };
  if (input.discountPct !== undefined) out.discountPct = Math.min(ADMIN_MAX_DISCOUNT_PCT, clampDiscount(input.discountPct));
  if (input.stockTotal !== undefined) out.stockRemaining = stockRemainder(input.stockTotal, before);
  const starts = input.saleStartsAt !== undefined ? input.saleStartsAt : (before?.saleStartsAt ?? null);
  const ends = input.saleEndsAt !== undefined ? input.saleEndsAt : (before?.saleEndsAt ?? null);
  if (starts && ends && ends <= starts) {
    throw new DomainError('request/invalid', 'Invalid request body: body.sale_ends_at must be after sale_starts_at.', {
      issues: [{ path: 'body.sale_ends_at', message: 'must be after sale_starts_at', code: 'custom' }],
    });
  }
  return out;
}

/** A new limited stock keeps what was sold: the remainder moves by the change of the total (never below 0). */
function stockRemainder(total: number | null, before: AdminProductRow | null): number | null {
  if (total === null) return null;
  if (!before || before.stockTotal === null || before.stockRemaining === null) return total;
  return Math.max(0, Math.min(total, before.stockRemaining + (total - before.stockTotal)));
}

function notFound(id: string) {
  return new DomainError('resource/not_found', `No product ${id}.`);
}
