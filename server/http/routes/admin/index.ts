import type { Services } from '../../../services/index.ts';
import type { ApiRouter } from '../../api.ts';
import { adminAuthRoutes } from './auth.routes.ts';

/** Every admin API route, under `/api/admin` (OpenAPI tag `admin`). */
export function adminRoutes(api: ApiRouter, services: Services) {
  adminAuthRoutes(api, services.adminAuth);
}
