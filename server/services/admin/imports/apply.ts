import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '../../../../domain/economy/currency.ts';
import type { ImportRecord } from '../../../db/repositories/imports.repository.ts';
import type { Actor } from '../audit.service.ts';
import type { JobsService } from '../jobs/jobs.service.ts';
import type { ImportOperations, ListedPlayer } from './ports.ts';
import type { StoredRow, StoredRowOf } from './rows.ts';

/** The job kind that creates or updates an import's products. */
export const IMPORT_PRODUCTS_JOB = 'import.products';

/** What applying made: operation drafts (tags, grants) or a job (products). */
export type Applied = { operationIds: string[]; jobId: null } | { operationIds: []; jobId: string };

/**
 * Turns an import's valid rows into what applies them: one operation draft per tag and action (tags) or per currency
 * (grants, a player's rows of one currency added up: one ledger entry per player and currency), each on the list of
 * its players, to be previewed, shadowed and applied like any operation; or one job item per product row.
 */
export async function applyRows(
  em: EntityManager,
  d: { operations: ImportOperations; jobs: Pick<JobsService, 'create'> },
  actor: Actor,
  record: ImportRecord,
  rows: StoredRow[],
): Promise<Applied> {
  if (record.kind === 'products') {
    const job = await d.jobs.create(em, {
      kind: IMPORT_PRODUCTS_JOB,
      params: { import_id: record.id, filename: record.filename, actor },
      createdBy: { id: actor.id, username: actor.username },
      refType: 'import',
      refId: record.id,
      items: rows.map((r) => ({ userId: null, payload: r as unknown as Record<string, unknown> })),
    });
    return { operationIds: [], jobId: job.id };
  }
  const operationIds: string[] = [];
  for (const draft of record.kind === 'grants'
    ? grantDrafts(rows as StoredRowOf<'grants'>[])
    : tagDrafts(rows as StoredRowOf<'player_tags'>[])) {
    const by = { id: actor.id, username: actor.username };
    operationIds.push(
      (await d.operations.createDraft(em, by, { ...draft, target: { type: 'list', players: draft.players } })).operation.id,
    );
  }
  return { operationIds, jobId: null };
}

type Draft = { kind: 'tag_add' | 'tag_remove' | 'grant_currency'; params: Record<string, unknown>; players: ListedPlayer[] };

function tagDrafts(rows: StoredRowOf<'player_tags'>[]): Draft[] {
  const groups = new Map<string, Draft>();
  for (const r of rows) {
    const kind = r.action === 'add' ? 'tag_add' : 'tag_remove';
    const key = `${kind}|${r.tag}`;
    if (!groups.has(key)) groups.set(key, { kind, params: { tag: r.tag }, players: [] });
    groups.get(key)!.players.push({ user_id: r.user_id });
  }
  return [...groups.values()];
}

function grantDrafts(rows: StoredRowOf<'grants'>[]): Draft[] {
  const byCurrency = new Map<Currency, Map<string, number>>();
  for (const r of rows) {
    const amounts = byCurrency.get(r.currency) ?? new Map<string, number>();
    byCurrency.set(r.currency, amounts);
    amounts.set(r.user_id, (amounts.get(r.user_id) ?? 0) + r.amount);
  }
  return [...byCurrency].map(([currency, amounts]) => ({
    kind: 'grant_currency',
    params: { currency },
    players: [...amounts].map(([user_id, amount]) => ({ user_id, amount })),
  }));
}
