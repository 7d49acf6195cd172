/** The kinds of CSV import. */
export const IMPORT_KINDS = ['player_tags', 'grants', 'products'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * The columns of each import kind, the names a CSV's headers are mapped to (the console matches headers by name).
 * Tags and grants name the player by `username` or `user_id`; a product row creates or updates the product of its `sku`
 * (grants as `grant_gold`, `grant_gem` and `grant_items` = `item_id:quantity;…`, the bonus as `bonus_gold`/`bonus_gem`).
 */
export const IMPORT_COLUMNS = {
  player_tags: ['username', 'user_id', 'tag', 'action'],
  grants: ['username', 'user_id', 'currency', 'amount', 'note'],
  products: [
    'sku',
    'name',
    'description',
    'kind',
    'price',
    'currency',
    'discount_pct',
    'grant_gold',
    'grant_gem',
    'grant_items',
    'bonus_gold',
    'bonus_gem',
    'one_time',
    'stock_total',
    'per_user_cap',
    'rank',
    'sale_starts_at',
    'sale_ends_at',
    'active',
  ],
} as const satisfies Record<ImportKind, readonly string[]>;

/** The most data rows one upload may hold. */
export const MAX_IMPORT_ROWS = 50_000;
