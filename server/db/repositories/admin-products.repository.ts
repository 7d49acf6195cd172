import type { EntityManager } from '@mikro-orm/postgresql';
import type { IProduct } from '../entities/shop.entity.ts';
import { fromJson } from '../sql.ts';

/** A product as operators see it: every column, including inactive ones, the stock counters and the version. */
export interface AdminProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  kind: IProduct['kind'];
  price: number;
  priceCurrency: IProduct['priceCurrency'];
  discountPct: number;
  grants: Record<string, unknown>;
  bonus: Record<string, number> | null;
  oneTime: boolean;
  stockTotal: number | null;
  stockRemaining: number | null;
  perUserCap: number | null;
  saleStartsAt: Date | null;
  saleEndsAt: Date | null;
  active: boolean;
  rank: number;
  version: number;
  createdAt: Date;
}

/** The editable columns of a product (camelCase field → column). */
export const PRODUCT_COLUMNS = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  kind: 'kind',
  price: 'price',
  priceCurrency: 'price_currency',
  discountPct: 'discount_pct',
  grants: 'grants',
  bonus: 'bonus',
  oneTime: 'one_time',
  stockTotal: 'stock_total',
  stockRemaining: 'stock_remaining',
  perUserCap: 'per_user_cap',
  saleStartsAt: 'sale_starts_at',
  saleEndsAt: 'sale_ends_at',
  active: 'active',
  rank: 'rank',
} as const;
export type ProductFields = Partial<{ -readonly [K in keyof typeof PRODUCT_COLUMNS]: AdminProductRow[K] }>;

const JSON_FIELDS = new Set(['grants', 'bonus']);
const value = (field: string, v: unknown) => (JSON_FIELDS.has(field) && v !== null && v !== undefined ? JSON.stringify(v) : v);

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
      `select * from products ${where.length ? `where ${where.join(' and ')}` : ''} order by rank, id limit ?`,
      [...params, opts.limit + 1],
    );
    return rows.map(toRow);
  },

  async byId(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<AdminProductRow | null> {
    const [row] = await em.execute<Record<string, unknown>[]>(`select * from products where id = ?${opts.lock ? ' for update' : ''}`, [id]);
    return row ? toRow(row) : null;
  },

  /** Adds a product; null when its SKU is taken (nothing written, the transaction stays usable). */
  async insert(em: EntityManager, id: string, fields: ProductFields): Promise<AdminProductRow | null> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    const cols = entries.map(([k]) => PRODUCT_COLUMNS[k as keyof typeof PRODUCT_COLUMNS]);
    const [row] = await em.execute<Record<string, unknown>[]>(
      `insert into products (id, ${cols.join(', ')}, created_at, version) values (?, ${cols.map(() => '?').join(', ')}, now(), 1)
       on conflict (sku) do nothing returning *`,
      [id, ...entries.map(([k, v]) => value(k, v))],
    );
    return row ? toRow(row) : null;
  },

  /** Writes `fields` and bumps the version (the row is locked by the caller). */
  async update(em: EntityManager, id: string, fields: ProductFields): Promise<AdminProductRow> {
    const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
    const sets = entries.map(([k]) => `${PRODUCT_COLUMNS[k as keyof typeof PRODUCT_COLUMNS]} = ?`);
    const [row] = await em.execute<Record<string, unknown>[]>(
      `update products set ${[...sets, 'version = version + 1'].join(', ')} where id = ? returning *`,
      [...entries.map(([k, v]) => value(k, v)), id],
    );
    return toRow(row);
  },
};

function date(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(v as string);
}

function toRow(r: Record<string, unknown>): AdminProductRow {
  return {
    id: r.id as string,
    sku: r.sku as string,
    name: r.name as string,
    description: r.description as string,
    kind: r.kind as IProduct['kind'],
    price: Number(r.price),
    priceCurrency: r.price_currency as IProduct['priceCurrency'],
    discountPct: r.discount_pct as number,
    grants: fromJson(r.grants),
    bonus: fromJson(r.bonus),
    oneTime: r.one_time as boolean,
    stockTotal: r.stock_total as number | null,
    stockRemaining: r.stock_remaining as number | null,
    perUserCap: r.per_user_cap as number | null,
    saleStartsAt: date(r.sale_starts_at),
    saleEndsAt: date(r.sale_ends_at),
    active: r.active as boolean,
    rank: r.rank as number,
    version: r.version as number,
    createdAt: date(r.created_at)!,
  };
}
