// The root route: every page hangs below it and renders inside the shell (login gate, navigation, toasts).
import { createRootRoute } from '@tanstack/react-router';
import { Shell } from './Shell.tsx';

/** The route every page's `getParentRoute` returns. */
export const rootRoute = createRootRoute({ component: Shell, notFoundComponent: () => <p className="state">No such page.</p> });
