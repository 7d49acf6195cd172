import { OPERATOR_ROLES } from '../../../../domain/admin/rbac.ts';
import type { AdminSettingsService } from '../../../services/admin/settings.service.ts';
import type { ApiRouter } from '../../api.ts';
import { requestInfo } from '../../admin-audit.ts';
import { AdminSettingsResponse, settingsBody, WritesSwitchRequest } from '../../dto/admin/settings.dto.ts';

/** The console's switches: GET /admin/settings, PUT /admin/settings/writes. */
export function adminSettingsRoutes(api: ApiRouter, settings: AdminSettingsService) {
  api.route(
    {
      method: 'get',
      path: '/admin/settings',
      tags: ['admin'],
      auth: [...OPERATOR_ROLES],
      summary: 'The console switches (whether admin writes are on)',
      responses: { 200: { description: 'the switches', schema: AdminSettingsResponse } },
    },
    async () => ({ status: 200, body: settingsBody({ writesEnabled: await settings.writesEnabled() }) }),
  );

  api.route(
    {
      method: 'put',
      path: '/admin/settings/writes',
      permission: 'settings:write',
      summary: 'Turn every admin write on or off, at once and without a restart (this route keeps working when they are off)',
      body: WritesSwitchRequest,
      responses: { 200: { description: 'the switches', schema: AdminSettingsResponse }, 400: 'request/invalid' },
    },
    async ({ body, principal, req }) => {
      const actor = { id: principal.userId, username: principal.username, role: principal.role };
      await settings.setWritesEnabled(body.enabled, actor, requestInfo(req));
      return { status: 200, body: settingsBody({ writesEnabled: body.enabled }) };
    },
  );
}
