import { z } from 'zod';
import { IMPORT_COLUMNS } from '../../../../domain/admin/imports.ts';
import { CURRENCIES } from '../../../../domain/economy/currency.ts';
import type { ImportRowParsers, RawRow, RowParse } from '../../../services/admin/imports/rows.ts';
import { ProductCreateBody, ProductPatchBody, productInput } from './shop.dto.ts';

/** A player tag: lowercase letters, digits, `_` and `-`, starting with a letter or digit, up to 32 characters. */
const Tag = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, _ and - (1–32, starting with a letter or digit)');
const Username = z.string().min(1).max(20);
const UserId = z.uuid('not a player id (UUID)');

const TagRowSchema = z.object({
  username: Username.optional(),
  user_id: UserId.optional(),
  tag: Tag,
  action: z.enum(['add', 'remove']),
});
const GrantRowSchema = z.object({
  username: Username.optional(),
  user_id: UserId.optional(),
  currency: z.enum(CURRENCIES),
  amount: z.number('a whole number').int('a whole number').min(1).max(1_000_000_000),
  note: z.string().max(200).default(''),
});

const NUMBER_COLUMNS = new Set(['amount', 'price', 'discount_pct', 'stock_total', 'per_user_cap', 'rank']);
const BOOLEAN_COLUMNS = new Set(['one_time', 'active']);
const CURRENCY_COLUMNS = { grant_gold: 'GOLD', grant_gem: 'GEM', bonus_gold: 'GOLD', bonus_gem: 'GEM' } as const;

/** The row readers of every import kind: CSV text → the kind's zod schema (products: the shop admin's own). */
export const importRowParsers: ImportRowParsers = {
  player_tags(raw) {
    const r = read(TagRowSchema, cells(raw, IMPORT_COLUMNS.player_tags));
    if (!r.ok) return r;
    const player = playerOf(r.value);
    return 'column' in player
      ? { ok: false, problems: [player] }
      : { ok: true, value: { player, tag: r.value.tag, action: r.value.action } };
  },
  grants(raw) {
    const r = read(GrantRowSchema, cells(raw, IMPORT_COLUMNS.grants));
    if (!r.ok) return r;
    const player = playerOf(r.value);
    if ('column' in player) return { ok: false, problems: [player] };
    return { ok: true, value: { player, currency: r.value.currency, amount: r.value.amount, note: r.value.note } };
  },
  products(raw, exists) {
    const c = cells(raw, IMPORT_COLUMNS.products);
    const body = productBody(c, exists);
    if ('problems' in body) return { ok: false, problems: body.problems };
    const sku = String(c.sku ?? '');
    const r = exists ? read(ProductPatchBody, body.fields) : read(ProductCreateBody, { sku, ...body.fields });
    if (!r.ok) return r;
    const input = JSON.parse(JSON.stringify(productInput(r.value))) as Record<string, unknown>;
    return { ok: true, value: { sku, mode: exists ? 'update' : 'create', input } };
  },
};

/** The known, non-empty cells of a row, typed: numbers and booleans read from their text (left as text when unreadable). */
function cells(raw: RawRow, columns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of columns) {
    const text = typeof raw[column] === 'string' ? raw[column].trim() : '';
    if (text === '') continue;
    if (NUMBER_COLUMNS.has(column) || column in CURRENCY_COLUMNS) out[column] = /^-?\d+$/.test(text) ? Number(text) : text;
    else if (BOOLEAN_COLUMNS.has(column)) out[column] = BOOLEANS[text.toLowerCase()] ?? text;
    else out[column] = text;
  }
  return out;
}
const BOOLEANS: Record<string, boolean> = { true: true, yes: true, '1': true, false: false, no: false, '0': false };

/** A product row's cells in the shop admin's body shape (grants and bonus from their columns). */
function productBody(c: Record<string, unknown>, exists: boolean): { fields: Record<string, unknown> } | { problems: Problem[] } {
  const { sku: _sku, grant_gold, grant_gem, grant_items, bonus_gold, bonus_gem, ...fields } = c;
  const currencies = pick({ GOLD: grant_gold, GEM: grant_gem });
  const items = grant_items === undefined ? undefined : itemsOf(String(grant_items));
  if (items === null) return { problems: [{ column: 'grant_items', problem: 'write items as item_id:quantity separated by ;' }] };
  if (currencies || items || !exists) fields.grants = { currencies: currencies ?? {}, items: items ?? [] };
  const bonus = pick({ GOLD: bonus_gold, GEM: bonus_gem });
  if (bonus) fields.bonus = bonus;
  return { fields };
}

function pick(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const set = Object.entries(o).filter(([, v]) => v !== undefined);
  return set.length ? Object.fromEntries(set) : undefined;
}

/** `sword:1;shield:2` → items; null when unreadable. */
function itemsOf(text: string): Array<{ item_id: string; quantity: number }> | null {
  const items = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^:]+):(\d+)$/.exec(part);
    if (!m) return null;
    items.push({ item_id: m[1].trim(), quantity: Number(m[2]) });
  }
  return items;
}

type Problem = { column: string; problem: string };

/** The player a row names: by id when it has one, else by username; a problem when it has neither. */
function playerOf(r: { username?: string; user_id?: string }): { username: string } | { userId: string } | Problem {
  if (r.user_id) return { userId: r.user_id };
  if (r.username) return { username: r.username };
  return { column: 'username', problem: 'a username or a user_id is required' };
}

function read<T extends z.ZodType>(schema: T, value: unknown): RowParse<z.output<T>> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: r.error.issues.map((i) => ({ column: columnOf(i.path), problem: problemOf(i) })) };
}

/** The CSV column a zod issue's path points at (`grants.currencies.GOLD` → `grant_gold`). */
function columnOf(path: PropertyKey[]): string {
  const [head, second, third] = path.map(String);
  if (head === 'grants') return second === 'items' ? 'grant_items' : third ? `grant_${third.toLowerCase()}` : 'grant_gold';
  if (head === 'bonus') return second ? `bonus_${second.toLowerCase()}` : 'bonus_gold';
  return head ?? 'row';
}

function problemOf(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type' && i.input === undefined) return 'required';
  if (i.code === 'unrecognized_keys') return `unknown columns: ${i.keys.join(', ')}`;
  return i.message;
}
