// What the signed-in operator may do: the permissions of their role (domain/admin/rbac.ts, sent by the login), which
// decide the controls a page shows. The API checks the same table on every call.
import { useSyncExternalStore } from 'react';
import type { Permission } from '../../../domain/admin/rbac.ts';
import { getSession, subscribeSession } from './session.ts';

const NONE: readonly Permission[] = [];

/** The signed-in operator's permissions (none when signed out). */
export function usePermissions(): readonly Permission[] {
  const session = useSyncExternalStore(subscribeSession, getSession);
  return session.status === 'signed-in' ? session.operator.permissions : NONE;
}

/** Whether the signed-in operator holds `permission`. */
export function useCan(permission: Permission): boolean {
  return usePermissions().includes(permission);
}

/** The signed-in operator's id (to tell their own requests apart), if signed in. */
export function useOperatorId(): string | undefined {
  const session = useSyncExternalStore(subscribeSession, getSession);
  return session.status === 'signed-in' ? session.operator.id : undefined;
}
