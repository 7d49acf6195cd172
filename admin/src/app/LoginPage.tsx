// The login page: an operator's username and password (accounts from `npm run admin:create`, or the demo operator
// `npm start` prints).
import { useState, type FormEvent } from 'react';
import { login } from '../api/auth.ts';
import { ApiError } from '../api/client.ts';

function loginError(err: unknown): string {
  if (!(err instanceof ApiError)) return 'The server cannot be reached.';
  if (err.code === 'auth/invalid_credentials' || err.status === 401) return 'Wrong username or password.';
  if (err.code === 'auth/forbidden') return 'This account is not an operator.';
  return err.message;
}

/** Shown instead of every page until an operator is signed in; `reason` says why a session ended. */
export function LoginPage({ reason }: { reason?: string }) {
  const [error, setError] = useState<string | undefined>(reason);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await login(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
    } catch (err) {
      setError(loginError(err));
      setBusy(false);
    }
  }
  return (
    <div className="login">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title" data-testid="login-form">
        <h1 id="login-title">
          Neon Club <small>admin</small>
        </h1>
        <label>
          Username
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
