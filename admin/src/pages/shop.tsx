// Shop: every product, inactive ones too (GET /api/admin/shop/products, keyset pages in the URL). With shop:write
// the drawer edits a product under the version the operator saw (If-Match), a row's switch puts it on sale or takes
// it off after a confirmation naming it, and New product creates one. A stale version is reported and reloaded.
import { useCallback, useMemo, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { ApiError, apiGet } from '../api/client.ts';
import type { Page, ProductRow } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { rootRoute } from '../app/root.tsx';
import { useCan } from '../app/useCan.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { columnsFor, DataTable } from '../components/DataTable.tsx';
import { Drawer } from '../components/Drawer.tsx';
import { queryString, useKeysetPaging } from '../components/keyset.ts';
import { Failed, Loading } from '../components/StateViews.tsx';
import { useToast } from '../components/Toasts.tsx';
import { amount, price, time } from './format.ts';
import { ProductFacts } from './shop-facts.tsx';
import { ProductForm, type ProductBody } from './shop-form.tsx';

const ShopSearch = z.object({
  active: z.enum(['true', 'false']).optional().catch(undefined),
  cursor: z.string().trim().min(1).optional().catch(undefined),
});

const SHOP = ['admin', 'shop'];
const productPath = (id: string) => `/api/admin/shop/products/${id}`;

function ActiveSwitch({ product, onToggle }: { product: ProductRow; onToggle?: (p: ProductRow) => void }) {
  const label = product.active ? 'on sale' : 'inactive';
  if (!onToggle) return <span className={`badge ${product.active ? 'active' : 'inactive'}`}>{label}</span>;
  return (
    <button
      type="button"
      role="switch"
      aria-checked={product.active}
      aria-label={`${product.active ? 'Disable' : 'Enable'} product ${product.name}`}
      className={`switch ${product.active ? 'on' : ''}`}
      data-testid={`toggle-${product.sku}`}
      data-version={product.version}
      onClick={(e) => {
        e.stopPropagation();
        onToggle(product);
      }}
    >
      {label}
    </button>
  );
}

function columns(onToggle?: (p: ProductRow) => void) {
  const col = columnsFor<ProductRow>();
  return [
    col.accessor('name', { header: 'Product', cell: (c) => <span data-testid={`product-${c.row.original.sku}`}>{c.getValue()}</span> }),
    col.accessor('sku', { header: 'SKU', cell: (c) => <code>{c.getValue()}</code> }),
    col.accessor('kind', { header: 'Kind' }),
    col.accessor('final_price', { header: 'Price', cell: (c) => price(c.getValue(), c.row.original.currency) }),
    col.accessor('discount_pct', { header: 'Discount', cell: (c) => (c.getValue() ? `−${c.getValue()}%` : '–') }),
    col.accessor('stock_remaining', {
      header: 'Stock',
      cell: (c) => (c.row.original.stock_total === null ? '∞' : `${amount(c.getValue())} / ${amount(c.row.original.stock_total)}`),
    }),
    col.accessor('per_user_cap', { header: 'Cap', cell: (c) => amount(c.getValue()) }),
    col.accessor('rank', { header: 'Rank' }),
    col.accessor('sale_ends_at', { header: 'Sale ends', cell: (c) => time(c.getValue()) }),
    col.accessor('active', { header: 'Status', cell: (c) => <ActiveSwitch product={c.row.original} onToggle={onToggle} /> }),
  ];
}

function ShopPage() {
  const search = shopRoute.useSearch();
  const navigate = useNavigate({ from: shopRoute.fullPath });
  const canWrite = useCan('shop:write');
  const notify = useToast();
  const queries = useQueryClient();
  const [open, setOpen] = useState<string | 'new'>();
  const [toggling, setToggling] = useState<ProductRow>();
  const list = useQuery({
    queryKey: [...SHOP, 'list', search],
    queryFn: ({ signal }) => apiGet<Page<ProductRow>>(`/api/admin/shop/products${queryString(search)}`, signal),
    placeholderData: keepPreviousData,
  });
  const detail = useQuery({
    queryKey: [...SHOP, 'product', open],
    queryFn: ({ signal }) => apiGet<ProductRow>(productPath(open!), signal),
    enabled: open !== undefined && open !== 'new',
  });
  const paging = useKeysetPaging(
    search.cursor,
    String(search.active),
    list.data?.next_cursor,
    (c) => void navigate({ search: (prev) => ({ ...prev, cursor: c }) }),
  );
  const onOpen = useCallback((row: ProductRow) => setOpen(row.id), []);
  const shown = useMemo(() => columns(canWrite ? setToggling : undefined), [canWrite]);

  const failed = (name: string) => (err: unknown) => {
    if (err instanceof ApiError && err.code === 'shop/stale_version') {
      notify('error', `Product ${name} was changed by someone else: reloaded, check it and try again.`);
      void queries.invalidateQueries({ queryKey: SHOP });
    } else notify('error', err instanceof ApiError ? err.message : 'The server cannot be reached.');
  };
  const toggle = useAdminWrite<{ active: boolean }, { changed: boolean; product: ProductRow }>(
    'POST',
    () => `${productPath(toggling!.id)}/active`,
    {
      invalidates: [SHOP],
      onSuccess: ({ product }) => {
        setToggling(undefined);
        notify('success', `Product ${product.name} is ${product.active ? 'on sale' : 'disabled'}.`);
      },
      onError: (err) => {
        failed(toggling?.name ?? '')(err);
        setToggling(undefined);
      },
    },
  );
  const edit = useAdminWrite<ProductBody, ProductRow>('PATCH', () => productPath(String(open)), {
    invalidates: [SHOP],
    onSuccess: (p) => notify('success', `Product ${p.name} saved.`),
    onError: failed(detail.data?.name ?? ''),
  });
  const create = useAdminWrite<ProductBody, ProductRow>('POST', '/api/admin/shop/products', {
    invalidates: [SHOP],
    onSuccess: (p) => {
      notify('success', `Product ${p.name} created.`);
      setOpen(p.id);
    },
    onError: failed(''),
  });
  const product = detail.data;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Shop</h1>
        {canWrite && (
          <button type="button" className="primary" onClick={() => setOpen('new')} data-testid="product-new">
            New product
          </button>
        )}
      </div>
      <div className="filters">
        {(['all', 'true', 'false'] as const).map((a) => (
          <button
            key={a}
            type="button"
            className={(search.active ?? 'all') === a ? 'primary' : 'ghost'}
            onClick={() => void navigate({ search: { active: a === 'all' ? undefined : a } })}
          >
            {a === 'all' ? 'All products' : a === 'true' ? 'On sale' : 'Inactive'}
          </button>
        ))}
      </div>
      <DataTable label="Products" columns={shown} result={list} paging={paging} onOpen={onOpen} emptyText="No product here yet." />
      {open === 'new' && (
        <Drawer title="New product" onClose={() => setOpen(undefined)}>
          <ProductForm busy={create.pending} onSubmit={(body) => create.run(body)} onCancel={() => setOpen(undefined)} />
        </Drawer>
      )}
      {open !== undefined && open !== 'new' && (
        <Drawer title={product ? `Product ${product.name}` : 'Product'} onClose={() => setOpen(undefined)}>
          {detail.isPending ? (
            <Loading />
          ) : detail.isError ? (
            <Failed error={detail.error} retry={() => void detail.refetch()} />
          ) : (
            product && (
              <>
                <ProductFacts product={product} />
                {canWrite && (
                  <>
                    <h3>Edit (version {product.version})</h3>
                    <ProductForm
                      key={`${product.id}:${product.version}`}
                      product={product}
                      busy={edit.pending}
                      onSubmit={(body) => edit.run(body, { 'If-Match': String(product.version) })}
                    />
                  </>
                )}
              </>
            )
          )}
        </Drawer>
      )}
      {toggling && (
        <ConfirmDialog
          title={`${toggling.active ? 'Disable' : 'Enable'} product ${toggling.name}?`}
          confirmLabel={toggling.active ? 'Disable' : 'Enable'}
          danger={toggling.active}
          busy={toggle.pending}
          onConfirm={() => toggle.run({ active: !toggling.active }, { 'If-Match': String(toggling.version) })}
          onCancel={() => setToggling(undefined)}
        >
          <p>
            {toggling.active ? 'Players stop seeing it in their shop at once.' : 'Players see it in their shop at once.'} Version{' '}
            {toggling.version}.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** `/admin/shop`. */
export const shopRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/shop',
  validateSearch: ShopSearch,
  staticData: { page: { label: 'Shop', permission: 'shop:read', order: 30 } },
  component: ShopPage,
});
