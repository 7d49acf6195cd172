import type { Currency } from '../../../../domain/economy/currency.ts';
import type { ImportKind } from '../../../db/entities/import.entity.ts';

/** A CSV row as the console sends it: mapped column name → cell text. */
export type RawRow = Record<string, string>;

/** One problem of one row: the row's number (the first data row is 1), the column, and what is wrong. */
export interface RowProblem {
  row: number;
  column: string;
  problem: string;
}

/** A row read by its kind's schema: its value, or its problems (column and message). */
export type RowParse<T> = { ok: true; value: T } | { ok: false; problems: Array<Omit<RowProblem, 'row'>> };

/** Who a row names: a username (any case) or a player id. */
export type PlayerRef = { username: string } | { userId: string };

export interface TagRow {
  player: PlayerRef;
  tag: string;
  action: 'add' | 'remove';
}

export interface GrantRow {
  player: PlayerRef;
  currency: Currency;
  amount: number;
  note: string;
}

/** A product row: its SKU, whether it creates or updates that product, and the shop admin's input (as JSON). */
export interface ProductRow {
  sku: string;
  mode: 'create' | 'update';
  input: Record<string, unknown>;
}

/**
 * How each kind reads a raw row (zod, at the HTTP edge, where the shop's product schema lives). `products` is told
 * whether the SKU names a product already (an update may leave fields out, a create may not).
 */
export interface ImportRowParsers {
  player_tags(raw: RawRow): RowParse<TagRow>;
  grants(raw: RawRow): RowParse<GrantRow>;
  products(raw: RawRow, exists: boolean): RowParse<ProductRow>;
}

/** A valid row as stored (`import_chunks`), with its row number; players resolved to their id. */
export type StoredRow =
  | { row: number; kind: 'player_tags'; user_id: string; username: string; tag: string; action: 'add' | 'remove' }
  | { row: number; kind: 'grants'; user_id: string; username: string; currency: Currency; amount: number; note: string }
  | { row: number; kind: 'products'; sku: string; mode: 'create' | 'update'; input: Record<string, unknown> };

/** A stored row of one kind. */
export type StoredRowOf<K extends ImportKind> = Extract<StoredRow, { kind: K }>;
