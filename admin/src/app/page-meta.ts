// What a page route declares about itself (its `staticData.page`): its label in the navigation and the permission
// from the RBAC table (domain/admin/rbac.ts) an operator needs to see it.
import type { Permission } from '../../../domain/admin/rbac.ts';

/** A navigable page: label, required permission, position in the navigation. */
export interface PageMeta {
  label: string;
  permission: Permission;
  order: number;
}

declare module '@tanstack/react-router' {
  interface StaticDataRouteOption {
    page?: PageMeta;
  }
}

/** Whether an operator holding `permissions` may open a page. */
export function allowed(page: PageMeta, permissions: readonly string[]): boolean {
  return permissions.includes(page.permission);
}
