// A write button's mutation: each call of `run` is one user action with its own Idempotency-Key, which apiWrite keeps
// across its retries; while it runs `pending` is true, so the button can be disabled against a double click.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiWrite, newActionKey } from './client.ts';

type WriteMethod = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface AdminWriteOptions<TResult> {
  /** query keys to refetch after success (the lists and details the write changed) */
  invalidates?: readonly unknown[][];
  onSuccess?: (result: TResult) => void;
  onError?: (error: unknown) => void;
}

/** A write to `path` (or a path made from the body) with a fresh Idempotency-Key per `run(body)`. */
export function useAdminWrite<TBody, TResult = unknown>(
  method: WriteMethod,
  path: string | ((body: TBody) => string),
  options: AdminWriteOptions<TResult> = {},
) {
  const queries = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ body, key, headers }: { body: TBody; key: string; headers?: Record<string, string> }) =>
      apiWrite<TResult>(method, typeof path === 'function' ? path(body) : path, body, key, headers),
    onSuccess: async (result) => {
      await Promise.all((options.invalidates ?? []).map((queryKey) => queries.invalidateQueries({ queryKey })));
      options.onSuccess?.(result);
    },
    onError: options.onError,
  });
  return {
    /** sends the write as a new user action; `headers` adds e.g. If-Match */
    run: (body: TBody, headers?: Record<string, string>) => mutation.mutate({ body, key: newActionKey(), headers }),
    pending: mutation.isPending,
    error: mutation.error,
  };
}
