// The operator's session: the access token lives in memory only, the refresh token in sessionStorage (this tab, until
// it closes), so a reload signs in again without a password and nothing outlives the tab.
import type { LoginAnswer, Operator } from './types.ts';

const REFRESH_KEY = 'neon.admin.refresh';

/** Where the console stands: finding out (a reload with a refresh token), signed out, or signed in. */
export type SessionState =
  { status: 'restoring' } | { status: 'signed-out'; reason?: string } | { status: 'signed-in'; operator: Operator };

let state: SessionState = { status: sessionStorage.getItem(REFRESH_KEY) ? 'restoring' : 'signed-out' };
let accessToken: string | undefined;
let refreshing: Promise<boolean> | undefined;
const listeners = new Set<() => void>();

function set(next: SessionState) {
  state = next;
  for (const l of listeners) l();
}

/** The current session state (for `useSyncExternalStore`). */
export function getSession(): SessionState {
  return state;
}

/** Calls `listener` on every session change; returns the unsubscribe function. */
export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The bearer token for API calls, if signed in. */
export function currentAccessToken(): string | undefined {
  return accessToken;
}

/** Keeps a login's or a refresh's answer: tokens stored, operator published. */
export function acceptLogin(answer: LoginAnswer) {
  accessToken = answer.access_token;
  sessionStorage.setItem(REFRESH_KEY, answer.refresh_token);
  set({ status: 'signed-in', operator: answer.operator });
}

/** Forgets the tokens and shows the login page (with `reason`, when the session ended on its own). */
export function endSession(reason?: string) {
  accessToken = undefined;
  sessionStorage.removeItem(REFRESH_KEY);
  set({ status: 'signed-out', reason });
}

/**
 * Trades the stored refresh token for a new pair, once at a time (concurrent 401s share one refresh).
 * Resolves false, and ends the session, when there is no token or the server refuses it.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = sessionStorage.getItem(REFRESH_KEY);
    if (!token) return false;
    try {
      const res = await fetch('/api/admin/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: token }),
      });
      if (res.ok) {
        acceptLogin((await res.json()) as LoginAnswer);
        return true;
      }
      endSession(state.status === 'signed-in' ? 'Your session has ended: log in again.' : undefined);
      return false;
    } catch {
      if (state.status === 'restoring') endSession('The server cannot be reached.');
      return false;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}
