import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/core';
import type { ApiRouter } from '../api.ts';
import type { WalletService } from '../../services/wallet/wallet.service.ts';
import { LedgerQuery, LedgerResponse, WalletResponse } from '../dto/wallet.dto.ts';

/** GET /wallet (balances) and GET /wallet/ledger (the player's own ledger, newest first). */
export function walletRoutes(api: ApiRouter, deps: { orm: MikroORM; wallet: WalletService }) {
  const tags = ['wallet'];
  const em = () => deps.orm.em.fork() as EntityManager;
  api.route(
    {
      method: 'get',
      path: '/wallet',
      tags,
      summary: 'Balances',
      auth: true,
      responses: { 200: { description: 'balances per currency', schema: WalletResponse }, 401: 'auth/unauthenticated' },
    },
    async ({ principal }) => ({ status: 200, body: { balances: await deps.wallet.balances(em(), principal.userId) } }),
  );

  api.route(
    {
      method: 'get',
      path: '/wallet/ledger',
      tags,
      summary: 'Own ledger (wallet statement), newest first, cursor-paginated, with the head hash of each currency’s chain',
      auth: true,
      query: LedgerQuery,
      responses: { 200: { description: 'a page of entries', schema: LedgerResponse }, 400: 'request/invalid', 401: 'auth/unauthenticated' },
    },
    async ({ principal, query }) => {
      const page = await deps.wallet.ledger(em(), principal.userId, query);
      return {
        status: 200,
        body: {
          entries: page.entries.map((e) => ({
            id: e.id,
            currency: e.currency,
            delta: e.delta,
            balance_after: e.balanceAfter,
            reason: e.reason,
            ref_type: e.refType,
            ref_id: e.refId,
            created_at: e.createdAt.toISOString(),
            hash: Buffer.from(e.hash).toString('hex'),
          })),
          next_cursor: page.nextCursor,
          heads: page.heads.map((h) => ({ currency: h.currency, entry_id: h.entryId, hash: h.hash })),
        },
      };
    },
  );
}
