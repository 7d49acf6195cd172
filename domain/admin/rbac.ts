// Who may do what in the admin console: one table, read by the API guard and by the admin SPA's visible controls.

/** Operator roles, least to most trusted. (`player` is a user role too, but never an operator.) */
export const OPERATOR_ROLES = ['viewer', 'support', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Every permission an admin route or control can require, `area:verb`. */
export const PERMISSIONS = [
  'players:read',
  'players:notes',
  'players:sessions',
  'players:ban',
  'wallet:adjust',
  'wallet:approve',
  'shop:read',
  'shop:write',
  'transactions:read',
  'audit:read',
  'kpi:read',
  'monitor:use',
  'queues:use',
  'settings:write',
  'liveops:read',
  'players:tags',
  'segments:write',
  'operations:write',
  'operations:apply',
  'jobs:manage',
  'imports:write',
  'notifications:write',
  'content:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = ['players:read', 'shop:read', 'transactions:read', 'kpi:read', 'liveops:read'];
const SUPPORT: readonly Permission[] = [...VIEWER, 'players:notes', 'players:sessions', 'audit:read', 'players:tags'];
const OPERATOR: readonly Permission[] = [
  ...SUPPORT,
  'players:ban',
  'wallet:adjust',
  'wallet:approve',
  'shop:write',
  'monitor:use',
  'queues:use',
  'segments:write',
  'operations:write',
  'operations:apply',
  'jobs:manage',
  'imports:write',
  'notifications:write',
  'content:write',
];

/** The table: each role and the permissions it holds. */
export const ROLE_PERMISSIONS: Readonly<Record<OperatorRole, readonly Permission[]>> = {
  viewer: VIEWER,
  support: SUPPORT,
  operator: OPERATOR,
  admin: PERMISSIONS,
};

/** Whether `role` holds `permission`; any role that is not an operator role (a player) holds none. */
export function can(role: string, permission: Permission): boolean {
  return (ROLE_PERMISSIONS as Record<string, readonly Permission[] | undefined>)[role]?.includes(permission) ?? false;
}

/** Whether a user role is an operator role at all. */
export function isOperatorRole(role: string): role is OperatorRole {
  return (OPERATOR_ROLES as readonly string[]).includes(role);
}
