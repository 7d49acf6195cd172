import { PLAYER_LISTS, type PlayerList } from '../../../db/repositories/admin-player-detail.repository.ts';
import type { AuditService } from '../../../services/admin/audit.service.ts';
import type { AdminPlayersService } from '../../../services/admin/players.service.ts';
import type { ApiRouter } from '../../api.ts';
import { AuditPage, auditRow } from '../../dto/admin/audit.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { PLAYER_RECORDS, recordsResponse } from '../../dto/admin/player-records.dto.ts';
import {
  PlayerDetailResponse,
  playerDetailBody,
  PlayerIdParams,
  PlayerListQuery,
  playerRowBody,
  PlayersQuery,
  PlayersResponse,
} from '../../dto/admin/players.dto.ts';

/**
 * GET /admin/players (the grid), /admin/players/{id} and its lists (ledger, sessions, rounds, purchases, inventory,
 * rewards, and the audit trail of operators' actions on the player).
 */
export function adminPlayersRoutes(api: ApiRouter, { players, audit }: { players: AdminPlayersService; audit: AuditService }) {
  api.route(
    {
      method: 'get',
      path: '/admin/players',
      permission: 'players:read',
      summary: 'Search players: filters, sorts and keyset paging over every player',
      query: PlayersQuery,
      responses: { 200: { description: 'a page of players', schema: PlayersResponse }, 400: 'request/invalid' },
    },
    async ({ query }) => {
      const page = await players.grid({
        q: query.q,
        status: query.status,
        levelMin: query.level_min,
        levelMax: query.level_max,
        createdFrom: query.created_from,
        createdTo: query.created_to,
        sort: query.sort,
        order: query.order,
        cursor: query.cursor,
        limit: query.limit,
      });
      return { status: 200, body: pageBody(page, playerRowBody) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/players/:id',
      permission: 'players:read',
      summary: "A player's profile, balances and record counts",
      params: PlayerIdParams,
      responses: { 200: { description: 'the player', schema: PlayerDetailResponse }, 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: playerDetailBody(await players.detail(params.id)) }),
  );

  for (const list of Object.keys(PLAYER_LISTS) as PlayerList[]) {
    const records = PLAYER_RECORDS[list];
    api.route(
      {
        method: 'get',
        path: `/admin/players/:id/${list}`,
        permission: 'players:read',
        summary: records.summary,
        params: PlayerIdParams,
        query: PlayerListQuery,
        responses: { 200: { description: 'a page, newest first', schema: recordsResponse(list) }, 404: 'resource/not_found' },
      },
      async ({ params, query }) => {
        return { status: 200, body: pageBody(await players.list(params.id, list, query), (r): unknown => records.body(r)) };
      },
    );
  }

  api.route(
    {
      method: 'get',
      path: '/admin/players/:id/audit',
      permission: 'audit:read',
      summary: "The audit trail of operators' actions on a player (and denied attempts), newest first",
      params: PlayerIdParams,
      query: PlayerListQuery,
      responses: { 200: { description: 'a page of audit entries', schema: AuditPage }, 404: 'resource/not_found' },
    },
    async ({ params, query }) => {
      await players.detail(params.id);
      return { status: 200, body: pageBody(await audit.page({ target: params.id }, query.cursor, query.limit), auditRow) };
    },
  );
}
