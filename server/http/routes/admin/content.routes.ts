import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContentKind } from '../../../db/entities/content.entity.ts';
import type { ContentAdminService, ContentChange } from '../../../services/admin/content/content-admin.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter, HandlerResult, RouteContext } from '../../api.ts';
import {
  ContentIfMatchHeader,
  ContentListQuery,
  ContentParams,
  contentBody,
  contentInput,
  EventCreateBody,
  EventPatchBody,
  MissionCreateBody,
  MissionPatchBody,
  qualifiesBody,
  revisionBody,
  ScheduleBody,
  statusFilter,
} from '../../dto/admin/content.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { ifMatchVersion } from '../../dto/admin/shop.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

/** What every event or mission write may also answer. */
const WRITE_ERRORS = {
  404: 'resource/not_found',
  409: 'resource/version_conflict (If-Match is not current), idempotency/key_reuse, idempotency/in_progress',
  503: 'admin/writes_disabled',
};

const KINDS = [
  { kind: 'event', path: '/admin/events', create: EventCreateBody, patch: EventPatchBody },
  { kind: 'mission', path: '/admin/missions', create: MissionCreateBody, patch: MissionPatchBody },
] as const;

/**
 * Event and mission authoring: `/admin/events…` and `/admin/missions…` (reads `liveops:read`, writes `content:write`).
 * Conditions and rewards are validated by the live-ops loop's own schemas; every edit keeps the replaced definition as
 * a revision and keeps the id (players' progress stays).
 */
export function adminContentRoutes(api: ApiRouter, deps: { content: ContentAdminService; adminWrite: AdminWrite }) {
  const svc = deps.content;
  const writeHeaders = IdempotencyHeader.extend(ContentIfMatchHeader.shape);
  for (const { kind, path, create, patch } of KINDS) {
    const body = (row: Parameters<typeof contentBody>[1]) => contentBody(kind, row, svc.now());
    /** An admin write of one row: audited with the row before and after, answered with the row (or `{changed, …}`). */
    const write = (
      ctx: RouteContext<unknown, unknown, unknown>,
      action: string,
      id: string | null,
      run: (em: EntityManager) => Promise<ContentChange>,
      answer: (c: ContentChange) => { status: number; body: unknown },
    ): Promise<HandlerResult> =>
      deps.adminWrite(ctx, { action: `${kind}.${action}`, target: id ? { type: kind, id } : undefined }, async (em) => {
        const change = await run(em);
        return {
          ...answer(change),
          before: change.before && body(change.before),
          after: body(change.after),
          target: { type: kind, id: change.after.id },
        };
      });
    const editor = (ctx: RouteContext<unknown, unknown, unknown>) => ({ id: ctx.principal.userId, username: ctx.principal.username });

    api.route(
      {
        method: 'get',
        path,
        permission: 'liveops:read',
        query: ContentListQuery,
        summary: `Every ${kind} (unpublished too) by rank, with its status: draft, scheduled, live or ended (keyset paging)`,
        responses: { 200: `a page of ${kind}s`, 400: 'request/invalid' },
      },
      async ({ query }) => {
        const page = await svc.list(kind, { cursor: query.cursor, limit: query.limit, status: statusFilter(query.status) });
        return { status: 200, body: pageBody(page, body) };
      },
    );

    api.route(
      {
        method: 'get',
        path: `${path}/:id`,
        permission: 'liveops:read',
        params: ContentParams,
        summary: `One ${kind} with its status and version`,
        responses: { 200: `the ${kind}`, 404: 'resource/not_found' },
      },
      async ({ params }) => ({ status: 200, body: body(await svc.get(kind, params.id)) }),
    );

    api.route(
      {
        method: 'get',
        path: `${path}/:id/revisions`,
        permission: 'liveops:read',
        params: ContentParams,
        summary: `The definitions a ${kind}'s edits replaced, newest version first (who replaced each, when)`,
        responses: { 200: '`{items}`: the revisions', 404: 'resource/not_found' },
      },
      async ({ params }) => ({ status: 200, body: { items: (await svc.revisions(kind, params.id)).map(revisionBody) } }),
    );

    api.route(
      {
        method: 'get',
        path: `${path}/:id/qualifies`,
        permission: 'liveops:read',
        params: ContentParams,
        summary: `Who qualifies now: the players whose play in the ${kind}'s current window already meets its condition (count, sample of 20)`,
        responses: { 200: '`{count, sample, window}`', 404: 'resource/not_found' },
      },
      async ({ params }) => ({ status: 200, body: qualifiesBody(await svc.qualifies(kind, params.id)) }),
    );

    api.route(
      {
        method: 'post',
        path,
        permission: 'content:write',
        body: create,
        headers: IdempotencyHeader,
        summary: `Add a ${kind} (unpublished unless \`active\` is true); the condition and the reward use the live-ops schemas`,
        responses: { 201: 'created', 400: 'request/invalid (names the field; a taken code names body.code)', ...WRITE_ERRORS },
      },
      (ctx) =>
        write(
          ctx,
          'create',
          null,
          (em) => svc.create(em, kind, contentInput(ctx.body)),
          (c) => ({ status: 201, body: body(c.after) }),
        ),
    );

    api.route(
      {
        method: 'patch',
        path: `${path}/:id`,
        permission: 'content:write',
        params: ContentParams,
        body: patch,
        headers: writeHeaders,
        summary: `Edit a ${kind} in place (a live one too: players keep their progress); the old definition becomes a revision`,
        responses: { 200: 'changed', 400: 'request/invalid (names the field)', ...WRITE_ERRORS },
      },
      (ctx) => {
        const ifMatch = ifMatchVersion(ctx.req);
        return write(
          ctx,
          'update',
          ctx.params.id,
          (em) => svc.update(em, kind, ctx.params.id, contentInput(ctx.body), ifMatch, editor(ctx)),
          (c) => ({ status: 200, body: body(c.after) }),
        );
      },
    );

    api.route(
      {
        method: 'post',
        path: `${path}/:id/schedule`,
        permission: 'content:write',
        params: ContentParams,
        body: ScheduleBody,
        headers: writeHeaders,
        summary: `Set a ${kind}'s schedule [starts_at, ends_at) (null: open); players see it only inside it`,
        responses: { 200: 'scheduled', 400: 'request/invalid (body.ends_at not after starts_at)', ...WRITE_ERRORS },
      },
      (ctx) => {
        const ifMatch = ifMatchVersion(ctx.req);
        const input = { startsAt: ctx.body.starts_at, endsAt: ctx.body.ends_at };
        return write(
          ctx,
          'schedule',
          ctx.params.id,
          (em) => svc.update(em, kind, ctx.params.id, input, ifMatch, editor(ctx)),
          (c) => ({ status: 200, body: body(c.after) }),
        );
      },
    );

    for (const active of [true, false]) {
      const verb = active ? 'publish' : 'unpublish';
      api.route(
        {
          method: 'post',
          path: `${path}/:id/${verb}`,
          permission: 'content:write',
          params: ContentParams,
          headers: writeHeaders,
          summary: active
            ? `Publish a ${kind}: players see it while its schedule runs (\`changed\` false when it already was)`
            : `Unpublish a ${kind}: players no longer see it; their progress is kept (\`changed\` false when it already was)`,
          responses: { 200: `\`{changed, ${kind}}\``, ...WRITE_ERRORS },
        },
        (ctx) => {
          const ifMatch = ifMatchVersion(ctx.req);
          return write(
            ctx,
            verb,
            ctx.params.id,
            (em) => svc.setActive(em, kind, ctx.params.id, active, ifMatch, editor(ctx)),
            (c) => ({ status: 200, body: { changed: c.changed, [kind]: body(c.after) } }),
          );
        },
      );
    }
  }
}
