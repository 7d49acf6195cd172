// The pages registered in the router, in navigation order, with what each needs.
import { useRouter } from '@tanstack/react-router';
import type { PageMeta } from './page-meta.ts';

/** Each page route's path (`/players`) and meta. */
export function usePages(): { path: string; page: PageMeta }[] {
  const router = useRouter();
  return Object.values(router.routesById as Record<string, { fullPath: string; options: { staticData?: { page?: PageMeta } } }>)
    .flatMap((r) => (r.options.staticData?.page ? [{ path: r.fullPath, page: r.options.staticData.page }] : []))
    .sort((a, b) => a.page.order - b.page.order);
}
