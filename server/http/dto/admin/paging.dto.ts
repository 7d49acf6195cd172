import { z } from 'zod';

/** `?cursor=&limit=` of every admin list (keyset paging; the cursor is opaque). */
export const PageQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A uuid path parameter `{id}`. */
export const IdParams = z.object({ id: z.uuid() });

/** A page on the wire. */
export function pageBody<T, B>(page: { items: T[]; nextCursor: string | null }, map: (item: T) => B) {
  return { items: page.items.map(map), next_cursor: page.nextCursor };
}
