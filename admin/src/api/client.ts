// The console's one way to the admin API: adds the bearer token, refreshes it once on a 401 and replays the call,
// and gives every write the Idempotency-Key of the user action that caused it, kept across its own retries.
import { currentAccessToken, refreshSession } from './session.ts';

/** One problem of a 400: the field at fault (`body.reward.gold`) and what is wrong with it. */
export interface ApiIssue {
  path: string;
  message: string;
}

/** An answer other than 2xx: status, the API's error code (`auth/forbidden`, …), its message and a 400's issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** How often a write is re-sent (same key) after a network error, a 502–504 or 409 `idempotency/in_progress`. */
const WRITE_RETRIES = 2;

async function send(method: Method, path: string, opts: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  const token = currentAccessToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(path, { method, headers, signal: opts.signal, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
}

/** Sends a request; on a 401 refreshes the session once and sends it again. */
async function authorized(method: Method, path: string, opts: CallOptions): Promise<Response> {
  const res = await send(method, path, opts);
  if (res.status !== 401) return res;
  return (await refreshSession()) ? send(method, path, opts) : res;
}

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string; issues?: ApiIssue[] };
  const issues = Array.isArray(body.issues) ? body.issues : [];
  return new ApiError(res.status, body.error ?? `http/${res.status}`, body.message ?? res.statusText ?? 'Request failed', issues);
}

async function parse<T>(res: Response): Promise<T> {
  if (!res.ok) throw await failure(res);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** A GET of the admin API, answered as JSON (ApiError otherwise). */
export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return parse<T>(await authorized('GET', path, { signal }));
}

/** A fresh Idempotency-Key: make one per user action (a click), never per attempt. */
export function newActionKey(): string {
  return crypto.randomUUID();
}

/** A write worth sending again: no answer, a gateway error, or a busy server; not a deliberate refusal (writes switched off). */
async function retryable(res: Response | undefined): Promise<boolean> {
  if (res === undefined || res.status === 502 || res.status === 504) return true;
  if (res.status === 409) return res.headers.has('Retry-After');
  if (res.status !== 503) return false;
  const body = (await res
    .clone()
    .json()
    .catch(() => ({}))) as { error?: string };
  return body.error !== 'admin/writes_disabled';
}

/**
 * A write (POST/PATCH/PUT/DELETE) under `key`, the user action's Idempotency-Key: retried with the same key when the
 * answer never came or the server was busy, so a retry never applies twice.
 */
export async function apiWrite<T>(
  method: Exclude<Method, 'GET'>,
  path: string,
  body: unknown,
  key: string,
  headers?: Record<string, string>,
) {
  for (let attempt = 0; ; attempt++) {
    let res: Response | undefined;
    try {
      res = await authorized(method, path, { body, headers: { ...headers, 'Idempotency-Key': key } });
    } catch (err) {
      if (attempt >= WRITE_RETRIES) throw err;
    }
    if (res && (attempt >= WRITE_RETRIES || !(await retryable(res)))) return parse<T>(res);
    const wait = Number(res?.headers.get('Retry-After') ?? 0) * 1000 || 300 * (attempt + 1);
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** Downloads an authorized GET (a CSV export) as a file: fetched as a blob, then saved under `filename`. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const res = await authorized('GET', path, { headers: { Accept: 'text/csv, */*' } });
  if (!res.ok) throw await failure(res);
  const url = URL.createObjectURL(await res.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
