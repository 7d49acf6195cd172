import type { EntityManager } from '@mikro-orm/postgresql';
import type { Bundle } from '../../../domain/shop/pricing.ts';
import { Product, type IProduct } from '../entities/shop.entity.ts';
import { columnList, fieldList, fromRow } from '../entity-sql.ts';

/** A product as operators see it: every column, including inactive ones, the stock counters and the version. */
export type AdminProductRow = Loaded<Omit<IProduct, 'grants' | 'bonus'>> & {
  grants: Bundle;
  bonus: Partial<Record<'GOLD' | 'GEM', number>> | null;
};
/** An entity type as a row read with every column: nullable properties are present (null, never missing). */
type Loaded<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/** The properties an operator may set on a product (the rest are the id, timestamps and the version). */
export const EDITABLE_PRODUCT_FIELDS = [
  'sku',
  'name',
  'description',
  'kind',
  'price',
  'priceCurrency',
  'discountPct',
  'grants',
  'bonus',
  'oneTime',
  'stockTotal',
  'stockRemaining',
  'perUserCap',
  'saleStartsAt',
  'saleEndsAt',
  'active',
  'rank',
] as const satisfies readonly (keyof AdminProductRow)[];
export type ProductFields = Partial<Pick<AdminProductRow, (typeof EDITABLE_PRODUCT_FIELDS)[number]>>;

const JSON_FIELDS = new Set(['grants', 'bonus']);
const value = (field: string, v: unknown) => (JSON_FIELDS.has(field) && v !== null && v !== undefined ? JSON.stringify(v) : v);
/** The given fields that are set, and their columns (from the entity). */
function setFields(em: EntityManager, fields: ProductFields) {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined) as Array<[keyof ProductFields, unknown]>;
  const columns = entries.length
    ? fieldList(
        em,
        Product,
        entries.map(([k]) => k),
      ).split(', ')
    : [];
  return { columns, params: entries.map(([k, v]) => value(k, v)) };
}
const toRow = (em: EntityManager, r: Record<string, unknown>) => fromRow<AdminProductRow>(em, Product, r);

/** The products table as the admin console reads and edits it (the player catalog reads it through product.repository). */
export const adminProducts = {
  /** All products, by rank then id, after the keyset `(rank, id)` when given; `limit + 1` rows. */
  async page(
    em: EntityManager,
    opts: { after?: { value: string; id: string }; limit: number; active?: boolean },
  ): Promise<AdminProductRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.after) {
      where.push('(rank, id) > (?::int, ?::uuid)');
      params.push(opts.after.value, opts.after.id);
    }
    if (opts.active !== undefined) {
      where.push('active = ?');
      params.push(opts.active);
    }
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${columnList(em, Product)} from products ${where.length ? `where ${where.join(' and ')}` : ''} order by rank, id limit ?`,
      [...params, opts.limit + 1],
    );
    return rows.map((r) => toRow(em, r));
  },

  async byId(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<AdminProductRow | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select ${columnList(em, Product)} from products where id = ?${opts.lock ? ' for update' : ''}`,
      [id],
    );
    return row ? toRow(em, row) : null;
  },

  /** Adds a product; null when its SKU is taken (nothing written, the transaction stays usable). */
  async insert(em: EntityManager, id: string, fields: ProductFields): Promise<AdminProductRow | null> {
    const { columns, params } = setFields(em, fields);
    const [row] = await em.execute<Record<string, unknown>[]>(
      `insert into products (id, ${columns.join(', ')}, created_at, version) values (?, ${columns.map(() => '?').join(', ')}, now(), 1)
       on conflict (sku) do nothing returning ${columnList(em, Product)}`,
      [id, ...params],
    );
    return row ? toRow(em, row) : null;
  },

  /** Writes `fields` and bumps the version (the row is locked by the caller). */
  async update(em: EntityManager, id: string, fields: ProductFields): Promise<AdminProductRow> {
    const { columns, params } = setFields(em, fields);
    const [row] = await em.execute<Record<string, unknown>[]>(
      `update products set ${[...columns.map((c) => `${c} = ?`), 'version = version + 1'].join(', ')} where id = ? returning ${columnList(em, Product)}`,
      [...params, id],
    );
    return toRow(em, row);
  },
};
