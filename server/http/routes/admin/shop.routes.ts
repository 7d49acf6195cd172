import type { ShopAdminService } from '../../../services/admin/shop-admin.service.ts';
import type { ApiRouter } from '../../api.ts';
import { IdParams, pageBody } from '../../dto/admin/paging.dto.ts';
import {
  adminProductBody,
  IfMatchHeader,
  ifMatchVersion,
  ProductActiveBody,
  ProductCreateBody,
  ProductListQuery,
  productInput,
  ProductPatchBody,
} from '../../dto/admin/shop.dto.ts';

/** Products as operators manage them: `/admin/shop/products` (reads `shop:read`, writes `shop:write`). */
export function adminShopRoutes(api: ApiRouter, svc: ShopAdminService) {
  // the change commits, then every player's shop hears of it
  const write = svc.commit.bind(svc);

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
      params: IdParams,
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
      summary: 'Add a product (discount clamped to 0–90 %); players see it at once when active',
      responses: { 201: 'created', 400: 'request/invalid (a taken SKU names body.sku)' },
    },
    async ({ body }) => {
      const change = await write((em) => svc.create(em, productInput(body)));
      return { status: 201, body: adminProductBody(change.after) };
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/admin/shop/products/:id',
      permission: 'shop:write',
      params: IdParams,
      body: ProductPatchBody,
      headers: IfMatchHeader,
      summary: 'Edit a product (price, currency, discount, bonus, one-time, stock, caps, rank, sale window, active)',
      responses: { 200: 'changed', 400: 'request/invalid', 404: 'resource/not_found', 409: 'shop/stale_version (If-Match is not current)' },
    },
    async ({ params, body, req }) => {
      const ifMatch = ifMatchVersion(req);
      const change = await write((em) => svc.update(em, params.id, productInput(body), ifMatch));
      return { status: 200, body: adminProductBody(change.after) };
    },
  );

  api.route(
    {
      method: 'post',
      path: '/admin/shop/products/:id/active',
      permission: 'shop:write',
      params: IdParams,
      body: ProductActiveBody,
      headers: IfMatchHeader,
      summary: 'Put a product on sale or take it off (`changed` false when it already was)',
      responses: {
        200: 'the product and whether it changed',
        404: 'resource/not_found',
        409: 'shop/stale_version (If-Match is not current)',
      },
    },
    async ({ params, body, req }) => {
      const ifMatch = ifMatchVersion(req);
      const change = await write((em) => svc.setActive(em, params.id, body.active, ifMatch));
      return { status: 200, body: { changed: change.changed, product: adminProductBody(change.after) } };
    },
  );
}
