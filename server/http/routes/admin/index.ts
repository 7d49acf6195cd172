import type { Services } from '../../../services/index.ts';
import type { ApiRouter } from '../../api.ts';
import { adminWriter } from '../../admin-write.ts';
import { adminApprovalsRoutes } from './approvals.routes.ts';
import { adminAuditRoutes } from './audit.routes.ts';
import { adminAuthRoutes } from './auth.routes.ts';
import { adminPlayersRoutes } from './players.routes.ts';
import { adminKpiRoutes } from './kpis.routes.ts';
import { adminEconomyRoutes } from './economy.routes.ts';
import { adminShopRoutes } from './shop.routes.ts';
import { adminTransactionRoutes } from './transactions.routes.ts';
import { adminNotesRoutes } from './notes.routes.ts';
import { adminLimitsRoutes } from './limits.routes.ts';
import { adminPlayerActionsRoutes } from './player-actions.routes.ts';
import { adminSettingsRoutes } from './settings.routes.ts';
import { adminJobsRoutes } from './jobs.routes.ts';
import { adminNotificationRoutes } from './notifications.routes.ts';
import { adminContentRoutes } from './content.routes.ts';
import { adminImportsRoutes } from './imports.routes.ts';
import { adminOperationsRoutes } from './operations.routes.ts';
import { adminSegmentsRoutes } from './segments.routes.ts';
import { adminTagsRoutes } from './tags.routes.ts';

/**
 * Every admin API route, under `/api/admin` (OpenAPI tag `admin`). Reads declare `permission:`; writes also go
 * through `adminWrite` (Idempotency-Key, the writes switch, one transaction with the audit row).
 */
export function adminRoutes(api: ApiRouter, services: Services) {
  const adminWrite = adminWriter(services.adminWrites);
  adminAuthRoutes(api, services.adminAuth);
  adminPlayersRoutes(api, { players: services.adminPlayers, audit: services.audit });
  adminShopRoutes(api, { shopAdmin: services.shopAdmin, adminWrite });
  adminTransactionRoutes(api, services.transactionsAdmin);
  adminKpiRoutes(api, services.kpis);
  adminEconomyRoutes(api, services.economy);
  adminAuditRoutes(api, services.audit);
  adminSettingsRoutes(api, services.adminSettings);
  adminNotesRoutes(api, { notes: services.playerNotes, adminWrite });
  adminLimitsRoutes(api, { limits: services.limits });
  adminPlayerActionsRoutes(api, { access: services.playerAccess, adjustments: services.walletAdjustments, adminWrite });
  adminApprovalsRoutes(api, { adjustments: services.walletAdjustments, adminWrite });
  adminJobsRoutes(api, { jobs: services.jobs, events: services.jobEvents, adminWrite });
  adminNotificationRoutes(api, { notifications: services.notifications, adminWrite });
  adminContentRoutes(api, { content: services.content, adminWrite });
  adminImportsRoutes(api, { imports: services.imports, adminWrite });
  adminOperationsRoutes(api, { operations: services.operations, adminWrite });
  adminSegmentsRoutes(api, { segments: services.segments, adminWrite });
  adminTagsRoutes(api, { tags: services.tags, adminWrite });
}
