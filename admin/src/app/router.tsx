// The console's routes under /admin/. To add a page: write pages/<name>.tsx exporting a route with
// `staticData.page` (label, permission, order) and list it in PAGES; the navigation and the role check follow.
import { createRouter } from '@tanstack/react-router';
import { approvalsRoute } from '../pages/approvals.tsx';
import { auditRoute } from '../pages/audit.tsx';
import { economyRoute } from '../pages/economy.tsx';
import { eventsRoute } from '../pages/events.tsx';
import { homeRoute } from '../pages/home.tsx';
import { importsRoute } from '../pages/imports.tsx';
import { jobsRoute } from '../pages/jobs.tsx';
import { kpisRoute } from '../pages/kpis.tsx';
import { operationsRoute } from '../pages/operations.tsx';
import { notificationsRoute } from '../pages/notifications.tsx';
import { missionsRoute } from '../pages/missions.tsx';
import { playersRoute } from '../pages/players.tsx';
import { segmentsRoute } from '../pages/segments.tsx';
import { shopRoute } from '../pages/shop.tsx';
import { transactionsRoute } from '../pages/transactions.tsx';
import { rootRoute } from './root.tsx';

const PAGES = [
  playersRoute,
  approvalsRoute,
  auditRoute,
  shopRoute,
  transactionsRoute,
  kpisRoute,
  economyRoute,
  segmentsRoute,
  eventsRoute,
  missionsRoute,
  notificationsRoute,
  operationsRoute,
  importsRoute,
  jobsRoute,
] as const;

/** The console's router (basepath /admin). */
export const router = createRouter({
  routeTree: rootRoute.addChildren([homeRoute, ...PAGES]),
  basepath: '/admin',
  defaultPreload: false,
  scrollRestoration: false,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
