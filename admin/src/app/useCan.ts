// The signed-in operator's permissions, for the controls a page shows only to some roles.
import { useSyncExternalStore } from 'react';
import type { Permission } from '../../../domain/admin/rbac.ts';
import { getSession, subscribeSession } from '../api/session.ts';

/** Whether the signed-in operator holds `permission` (false when signed out). */
export function useCan(permission: Permission): boolean {
  const session = useSyncExternalStore(subscribeSession, getSession);
  return session.status === 'signed-in' && session.operator.permissions.includes(permission);
}
