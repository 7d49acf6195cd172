// What a page shows while it loads, when it has nothing, and when the API failed.
import { ApiError } from '../api/client.ts';

/** A quiet "Loading…" line. */
export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p className="state loading" role="status" data-testid="state-loading">
      {what}
    </p>
  );
}

/** An empty result, with a hint. */
export function Empty({ text }: { text: string }) {
  return (
    <p className="state empty" data-testid="state-empty">
      {text}
    </p>
  );
}

/** A failed request: the API's message and a retry button. */
export function Failed({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof ApiError ? `${error.message} (${error.code})` : 'The server cannot be reached.';
  return (
    <div className="state error" role="alert" data-testid="state-error">
      <span>{message}</span>
      {retry && (
        <button type="button" className="ghost" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}
