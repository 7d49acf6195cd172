import type { TransactionsAdminService } from '../../../services/admin/transactions-admin.service.ts';
import type { ApiRouter } from '../../api.ts';
import {
  EntryParams,
  pairedEntryBody,
  reconciliationBody,
  ReconciliationQuery,
  TransactionQuery,
  transactionPageBody,
  transactionSearch,
} from '../../dto/admin/transactions.dto.ts';

/** Transaction lookup and reconciliation (`transactions:read`). */
export function adminTransactionRoutes(api: ApiRouter, transactions: TransactionsAdminService) {
  api.route(
    {
      method: 'get',
      path: '/admin/transactions',
      permission: 'transactions:read',
      query: TransactionQuery,
      summary:
        'Ledger entries, newest first, each with its pair (round, purchase, reward, sign-up, adjustment), pairing status and data lag; a search by purchase (id, receipt, provider event) or round also lists that source’s missing ledger entries',
      responses: { 200: 'a page of entries (`missing_ledger`: sources of the search without their entry)', 400: 'request/invalid' },
    },
    async ({ query }) => ({ status: 200, body: transactionPageBody(await transactions.search(transactionSearch(query))) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/transactions/:entryId',
      permission: 'transactions:read',
      params: EntryParams,
      summary: 'One ledger entry with its pair, pairing status and data lag',
      responses: { 200: 'the entry', 404: 'resource/not_found' },
    },
    async ({ params }) => ({ status: 200, body: pairedEntryBody(await transactions.get(params.entryId)) }),
  );

  api.route(
    {
      method: 'get',
      path: '/admin/reconciliation',
      permission: 'transactions:read',
      query: ReconciliationQuery,
      summary:
        'Every unpaired row (entries without or disagreeing with their source, sources without their entry) and every wallet whose balance differs from its ledger',
      responses: { 200: 'the findings (`truncated` when a list was cut at `limit`)' },
    },
    async ({ query }) => ({ status: 200, body: reconciliationBody(await transactions.reconcile(query.limit)) }),
  );
}
