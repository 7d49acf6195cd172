// The shell around every page: the login page until signed in; then the navigation (only the pages this operator's
// permissions allow), the operator and Log out, and the page itself, or "not allowed" for a page outside the role.
import { useEffect, useSyncExternalStore } from 'react';
import { Link, Outlet, useMatches } from '@tanstack/react-router';
import { logout } from '../api/auth.ts';
import { getSession, refreshSession, subscribeSession } from '../api/session.ts';
import type { Operator } from '../api/types.ts';
import { Loading } from '../components/StateViews.tsx';
import { LoginPage } from './LoginPage.tsx';
import { allowed } from './page-meta.ts';
import { usePages } from './usePages.ts';
import { useSearchHotkey } from './hotkeys.ts';
import { ToolLinks } from './ToolLinks.tsx';

/** The root component: session gate and layout. */
export function Shell() {
  const session = useSyncExternalStore(subscribeSession, getSession);
  useEffect(() => {
    if (session.status === 'restoring') void refreshSession();
  }, [session.status]);
  if (session.status === 'restoring') return <Loading what="Signing in…" />;
  if (session.status === 'signed-out') return <LoginPage reason={session.reason} />;
  return <Layout operator={session.operator} />;
}

function Layout({ operator }: { operator: Operator }) {
  useSearchHotkey();
  const pages = usePages().filter((p) => allowed(p.page, operator.permissions));
  const current = useMatches().findLast((m) => m.staticData.page)?.staticData.page;
  return (
    <div className="layout">
      <header className="topbar">
        <span className="brand">
          Neon Club <small>admin</small>
        </span>
        <nav aria-label="Pages" data-testid="nav">
          {pages.map((p) => (
            <Link
              key={p.path}
              to={p.path}
              activeProps={{ className: 'active', 'aria-current': 'page' }}
              data-testid={`nav-${p.path.slice(1)}`}
            >
              {p.page.label}
            </Link>
          ))}
          <ToolLinks permissions={operator.permissions} />
        </nav>
        <span className="who" data-testid="operator">
          {operator.username} <small>{operator.role}</small>
        </span>
        <button type="button" className="ghost" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main>
        {current && !allowed(current, operator.permissions) ? (
          <p className="state error" role="alert" data-testid="forbidden">
            Your role ({operator.role}) may not open {current.label}.
          </p>
        ) : (
          <Outlet />
        )}
      </main>
    </div>
  );
}
