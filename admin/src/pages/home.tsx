// `/admin/`: opens the first page this operator may use.
import { useSyncExternalStore } from 'react';
import { createRoute, Navigate } from '@tanstack/react-router';
import { getSession, subscribeSession } from '../api/session.ts';
import { rootRoute } from '../app/root.tsx';
import { allowed } from '../app/page-meta.ts';
import { usePages } from '../app/usePages.ts';

function Home() {
  const session = useSyncExternalStore(subscribeSession, getSession);
  const permissions = session.status === 'signed-in' ? session.operator.permissions : [];
  const first = usePages().find((p) => allowed(p.page, permissions));
  if (!first) return <p className="state">Your role has no pages in this console.</p>;
  return <Navigate to={first.path} replace />;
}

/** The console's start page. */
export const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: Home });
