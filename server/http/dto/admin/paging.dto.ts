import { z } from 'zod';
import type { Page } from '../../../services/admin/keyset.ts';

/** `?cursor=&limit=` of every admin list (keyset paging; cursors are made and read by services/admin/keyset.ts). */
export const PageQuery = z.object({
  cursor: z.string().max(400).optional().describe('opaque: the `next_cursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The wire schema of a page of `item`: `{items, next_cursor}` (null on the last page). */
export function pageResponse<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

/** A page on the wire: its items mapped by `item`, and `next_cursor` (null on the last page). */
export function pageBody<T, R>(page: Page<T>, item: (row: T) => R): { items: R[]; next_cursor: string | null } {
  return { items: page.items.map((r) => item(r)), next_cursor: page.nextCursor };
}
