// Logging in and out of the console.
import { ApiError, apiWrite, newActionKey } from './client.ts';
import { acceptLogin, endSession } from './session.ts';
import type { LoginAnswer } from './types.ts';

/** Logs in with an operator's username and password; throws ApiError (401 wrong credentials, 429 locked out, …). */
export async function login(username: string, password: string): Promise<void> {
  const res = await fetch('/api/admin/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json().catch(() => ({}))) as Partial<LoginAnswer> & { error?: string; message?: string };
  if (!res.ok) throw new ApiError(res.status, body.error ?? `http/${res.status}`, body.message ?? 'Login failed');
  acceptLogin(body as LoginAnswer);
}

/** Ends the session on the server (best effort) and forgets it here. */
export async function logout(): Promise<void> {
  try {
    await apiWrite('POST', '/api/admin/auth/logout', undefined, newActionKey());
  } catch {
    // the tokens are forgotten below either way; an unreachable server cannot keep this tab signed in
  }
  endSession();
}
