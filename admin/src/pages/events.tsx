// Events: the events an operator authors (GET /api/admin/events), with their status, editor, revisions and "who
// qualifies now"; the page itself is ContentPage with the events' type field and description.
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { rootRoute } from '../app/root.tsx';
import type { KindSpec } from './content-form.tsx';
import { CONTENT_FILTERS, ContentPage } from './content-page.tsx';

const EVENTS: KindSpec = {
  kind: 'event',
  typeField: 'type',
  typeLabel: 'Type',
  types: ['limited', 'daily', 'progression'],
  hasDescription: true,
};

const EventsSearch = z.object({
  status: z.enum(CONTENT_FILTERS).optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
});

function EventsPage() {
  const navigate = useNavigate({ from: eventsRoute.fullPath });
  return <ContentPage spec={EVENTS} title="Events" search={eventsRoute.useSearch()} onSearch={(s) => void navigate({ search: s })} />;
}

/** `/admin/events`. */
export const eventsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/events',
  validateSearch: EventsSearch,
  staticData: { page: { label: 'Events', permission: 'liveops:read', order: 60 } },
  component: EventsPage,
});
