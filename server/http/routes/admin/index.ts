import type { Services } from '../../../services/index.ts';
import type { ApiRouter } from '../../api.ts';
import { adminAuthRoutes } from './auth.routes.ts';
import { adminKpiRoutes } from './kpis.routes.ts';
import { adminShopRoutes } from './shop.routes.ts';
import { adminTransactionRoutes } from './transactions.routes.ts';

/** Every admin API route, under `/api/admin` (OpenAPI tag `admin`). */
export function adminRoutes(api: ApiRouter, services: Services) {
  adminAuthRoutes(api, services.adminAuth);
  adminShopRoutes(api, services.shopAdmin);
  adminTransactionRoutes(api, services.transactionsAdmin);
  adminKpiRoutes(api, services.kpis);
}
