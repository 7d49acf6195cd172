import { randomUUID } from 'node:crypto';
import type { OperatorRole } from '../../domain/admin/rbac.ts';
import { uniqueName, type TestServer } from './test-server.ts';

export interface TestOperator {
  id: string;
  username: string;
  password: string;
  role: OperatorRole;
  access: string;
  refresh: string;
}

/** Creates an operator account with `role` (as `npm run admin:create` does) and logs it in at the admin login. */
export async function createOperator(s: TestServer, role: OperatorRole, password = 'operator password 1'): Promise<TestOperator> {
  const username = uniqueName(role.slice(0, 3));
  await s.services.auth.signup(username, password, {}, { role });
  const res = await s.http.post('/api/admin/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  return { id: res.body.operator.id, username, password, role, access: res.body.access_token, refresh: res.body.refresh_token };
}

/** Headers of an admin write: the bearer token and a fresh Idempotency-Key (or the given one). */
export function writeHeaders(key: string = randomUUID()): Record<string, string> {
  return { 'idempotency-key': key };
}
