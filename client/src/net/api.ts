// The one HTTP client of the game: `/api` prefix, bearer token, one refresh on 401 (then log out), retries with
// backoff for idempotent calls (network errors, 429, 5xx), and an Idempotency-Key on every non-GET.
import { clearAuth, setAuth, store } from '../state/store.ts';
import type { ApiErrorBody, AuthResponse } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message || `HTTP ${status}`);
  }
  get code(): string {
    return this.body.error;
  }
}

export interface RequestOptions {
  body?: unknown;
  /** safe to repeat: retried on network errors, 429 and 5xx (GETs always are) */
  idempotent?: boolean;
  /** send no bearer token */
  anonymous?: boolean;
  /** reuse a key (e.g. a purchase retried by the player); one is generated otherwise */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

const MAX_ATTEMPTS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let refreshing: Promise<boolean> | null = null;
/** called when the session ends (refresh failed): the app returns to the login scene */
let onLoggedOut: () => void = () => undefined;

export function onSessionEnded(fn: () => void): void {
  onLoggedOut = fn;
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** Sends one API call; throws ApiError with the server's error body (one shape everywhere) on failure. */
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const get = method === 'GET';
  const idempotent = get || opts.idempotent === true;
  const key = get ? undefined : (opts.idempotencyKey ?? newIdempotencyKey());
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (key) headers['idempotency-key'] = key;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const token = store.getState().auth.accessToken;
    if (token && !opts.anonymous) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(`/api${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    } catch (err) {
      if (idempotent && attempt < MAX_ATTEMPTS) {
        await sleep(backoff(attempt));
        continue;
      }
      throw new ApiError(0, {
        error: 'network/unreachable',
        message: 'The server could not be reached. Check your connection and try again.',
      });
    }
    if (res.status === 401 && !opts.anonymous && !refreshed && store.getState().auth.refreshToken) {
      refreshed = true;
      // another call may have rotated the pair while this one was in flight: then just replay with the new token
      if (store.getState().auth.accessToken !== token || (await refreshTokens())) {
        attempt--;
        continue;
      }
      endSession();
    }
    if ((res.status === 429 || res.status >= 500) && idempotent && attempt < MAX_ATTEMPTS) {
      const retryAfter = Number(res.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 5000) : backoff(attempt));
      continue;
    }
    if (res.status === 204 || res.status === 304) return undefined as T;
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!res.ok) {
      const err =
        body && typeof body === 'object' && 'error' in body
          ? (body as ApiErrorBody)
          : { error: `http/${res.status}`, message: `The server answered ${res.status}.` };
      if (res.status === 401 && !opts.anonymous) endSession();
      throw new ApiError(res.status, err);
    }
    return body as T;
  }
}

function backoff(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 2000) + Math.floor(Math.random() * 100);
}

/** Rotates the token pair once, shared by every call that got a 401 meanwhile. */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const { refreshToken } = store.getState().auth;
    if (!refreshToken) return false;
    try {
      const res = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      if (!res.ok) return false;
      saveSession((await res.json()) as AuthResponse);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export function saveSession(r: AuthResponse): void {
  setAuth({ userId: r.user.id, username: r.user.username, accessToken: r.access_token, refreshToken: r.refresh_token });
}

/** Ends the local session after the server refused it (e.g. a room join whose token could not be refreshed). */
export function endSession(): void {
  if (!store.getState().auth.accessToken) return;
  clearAuth();
  onLoggedOut();
}

/** Human text of any error, for toasts and form messages. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String((err as Error).message);
  return 'Something went wrong.';
}
