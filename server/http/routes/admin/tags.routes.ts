import type { TagsService } from '../../../services/admin/segments/tags.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter } from '../../api.ts';
import { PlayerParams } from '../../dto/admin/notes.dto.ts';
import { PlayerTagParams, playerTagsBody, PlayerTagsResponse, TagsInUseResponse } from '../../dto/admin/segments.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

/** Player tags: a player's tags (`players:read`), tag and untag (`players:tags`), and the tags in use (`liveops:read`). */
export function adminTagsRoutes(api: ApiRouter, deps: { tags: TagsService; adminWrite: AdminWrite }) {
  const svc = deps.tags;

  api.route(
    {
      method: 'get',
      path: '/admin/tags',
      permission: 'liveops:read',
      summary: 'The player tags in use and how many players carry each, most used first (at most 200)',
      responses: { 200: { description: 'the tags', schema: TagsInUseResponse } },
    },
    async () => ({ status: 200, body: { items: await svc.inUse() } }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/players/:id/tags',
      permission: 'players:read',
      params: PlayerParams,
      summary: "A player's tags, by name",
      responses: { 200: { description: 'the tags', schema: PlayerTagsResponse }, 400: 'request/invalid', 404: 'resource/not_found' },
    },
    async ({ params }) => {
      await svc.assertPlayer(params.id);
      return { status: 200, body: playerTagsBody(params.id, await svc.ofPlayer(params.id)) };
    },
  );

  for (const [method, verb] of [
    ['put', 'add'],
    ['delete', 'remove'],
  ] as const) {
    api.route(
      {
        method,
        path: '/admin/players/:id/tags/:tag',
        permission: 'players:tags',
        params: PlayerTagParams,
        headers: IdempotencyHeader,
        summary:
          verb === 'add'
            ? 'Tag a player (`changed` false when it already had the tag; Idempotency-Key required)'
            : 'Remove a tag from a player (`changed` false when it did not have it; Idempotency-Key required)',
        responses: {
          200: { description: "the player's tags after the write", schema: PlayerTagsResponse },
          400: 'request/invalid (names the tag or the Idempotency-Key header)',
          404: 'resource/not_found',
          409: 'idempotency/key_reuse, idempotency/in_progress',
          503: 'admin/writes_disabled',
        },
      },
      (ctx) =>
        deps.adminWrite(ctx, { action: `player.tag.${verb}`, target: { type: 'player', id: ctx.params.id } }, async (em) => {
          const { id, tag } = ctx.params;
          await svc.assertPlayer(id, em);
          const before = (await svc.ofPlayer(id, em)).map((t) => t.tag);
          const changed = (await svc[verb](em, [id], tag)) > 0;
          const body = playerTagsBody(id, await svc.ofPlayer(id, em), changed);
          return { status: 200, body, before: { tags: before }, after: { tags: body.tags.map((t) => t.tag) } };
        }),
    );
  }
}
