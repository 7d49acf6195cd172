// Missions: the missions an operator authors (GET /api/admin/missions), with their status, editor, revisions and "who
// qualifies now"; the page itself is ContentPage with the missions' period (daily, weekly, achievement).
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { rootRoute } from '../app/root.tsx';
import type { KindSpec } from './content-form.tsx';
import { CONTENT_FILTERS, ContentPage } from './content-page.tsx';

const MISSIONS: KindSpec = {
  kind: 'mission',
  typeField: 'period',
  typeLabel: 'Period',
  types: ['daily', 'weekly', 'achievement'],
  hasDescription: false,
};

const MissionsSearch = z.object({
  status: z.enum(CONTENT_FILTERS).optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
});

function MissionsPage() {
  const navigate = useNavigate({ from: missionsRoute.fullPath });
  return <ContentPage spec={MISSIONS} title="Missions" search={missionsRoute.useSearch()} onSearch={(s) => void navigate({ search: s })} />;
}

/** `/admin/missions`. */
export const missionsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/missions',
  validateSearch: MissionsSearch,
  staticData: { page: { label: 'Missions', permission: 'liveops:read', order: 61 } },
  component: MissionsPage,
});
