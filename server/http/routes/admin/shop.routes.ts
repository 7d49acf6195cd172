import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductChange, ShopAdminService } from '../../../services/admin/shop-admin.service.ts';
import type { AdminWrite } from '../../admin-write.ts';
import type { ApiRouter, HandlerResult, RouteContext } from '../../api.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';
import { ifMatchHeader, ifMatchVersion } from '../../dto/admin/if-match.dto.ts';
import {
  adminProductBody,
  ProductActiveBody,
  ProductCreateBody,
  ProductListQuery,
  ProductParams,
  productInput,
  ProductPatchBody,
} from '../../dto/admin/shop.dto.ts';

/** What every product write may also answer. */
const WRITE_ERRORS = {
  409: 'shop/stale_version (If-Match is not current), idempotency/key_reuse, idempotency/in_progress',
  503: 'admin/writes_disabled',
};

/** Products as operators manage them: `/admin/shop/products` (reads `shop:read`, writes `shop:write`). */
export function adminShopRoutes(api: ApiRouter, deps: { shopAdmin: ShopAdminService; adminWrite: AdminWrite }) {
  const svc = deps.shopAdmin;
  /**
   * An admin write of a product (Idempotency-Key, audit row with the product before and after, one transaction); once
   * it committed, every player's shop hears of it (a replayed answer changed nothing and announces nothing).
   */
  const write = async (
    ctx: RouteContext<unknown, unknown, unknown>,
    action: string,
    id: string | null,
    run: (em: EntityManager) => Promise<ProductChange>,
    answer: (c: ProductChange) => { status: number; body: unknown },
  ): Promise<HandlerResult> => {
    let made: ProductChange | null = null;
    const result = await deps.adminWrite(ctx, { action, target: id ? { type: 'product', id } : undefined }, async (em) => {
      const change = (made = await run(em));
      const before = change.before && adminProductBody(change.before);
      return { ...answer(change), before, after: adminProductBody(change.after), target: { type: 'product', id: change.after.id } };
    });
    if (made) await svc.announce(made);
    return result;
  };
  const writeHeaders = IdempotencyHeader.extend(ifMatchHeader('product').shape);

  api.route(
    {
      method: 'get',
      path: '/admin/shop/products',
      permission: 'shop:read',
      query: ProductListQuery,
      summary: 'Every product, inactive ones too, by rank (keyset paging)',
      responses: { 200: 'a page of products', 400: 'request/invalid' },
    },
    async ({ query }) => {
      const active = query.active === undefined ? undefined : query.active === 'true';
      const page = await svc.list({ cursor: query.cursor, limit: query.limit, active });
      return { status: 200, body: pageBody(page, adminProductBody) };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/admin/shop/products/:id',
      permission: 'shop:read',
      params: ProductParams,
      summary: 'One product with its stock counters and version',
      responses: { 200: 'the product', 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: adminProductBody(await svc.get(params.id)) }),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/shop/products',
      permission: 'shop:write',
      body: ProductCreateBody,
      headers: IdempotencyHeader,
      summary: 'Add a product (discount clamped to 0–90 %); players see it at once when active',
      responses: { 201: 'created', 400: 'request/invalid (a taken SKU names body.sku)', ...WRITE_ERRORS },
    },
    (ctx) =>
      write(
        ctx,
        'shop.product.create',
        null,
        (em) => svc.create(em, productInput(ctx.body)),
        (c) => ({ status: 201, body: adminProductBody(c.after) }),
      ),
  );

  api.route(
    {
      method: 'patch',
      path: '/admin/shop/products/:id',
      permission: 'shop:write',
      params: ProductParams,
      body: ProductPatchBody,
      headers: writeHeaders,
      summary: 'Edit a product (price, currency, discount, bonus, one-time, stock, caps, rank, sale window, active)',
      responses: { 200: 'changed', 400: 'request/invalid', 404: 'resource/not_found', ...WRITE_ERRORS },
    },
    (ctx) => {
      const ifMatch = ifMatchVersion(ctx.req);
      return write(
        ctx,
        'shop.product.update',
        ctx.params.id,
        (em) => svc.update(em, ctx.params.id, productInput(ctx.body), ifMatch),
        (c) => ({ status: 200, body: adminProductBody(c.after) }),
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/admin/shop/products/:id/active',
      permission: 'shop:write',
      params: ProductParams,
      body: ProductActiveBody,
      headers: writeHeaders,
      summary: 'Put a product on sale or take it off (`changed` false when it already was)',
      responses: { 200: 'the product and whether it changed', 404: 'resource/not_found', ...WRITE_ERRORS },
    },
    (ctx) => {
      const ifMatch = ifMatchVersion(ctx.req);
      return write(
        ctx,
        ctx.body.active ? 'shop.product.activate' : 'shop.product.deactivate',
        ctx.params.id,
        (em) => svc.setActive(em, ctx.params.id, ctx.body.active, ifMatch),
        (c) => ({ status: 200, body: { changed: c.changed, product: adminProductBody(c.after) } }),
      );
    },
  );
}
