import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  assertStep,
  isCurrencyKind,
  isUndoable,
  parseOperationParams,
  type OperationKind,
  type OperationParams,
  type OperationStatus,
} from '../../../../domain/admin/operations.ts';
import { BANNERS } from '../../../../domain/games/gacha/banners.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { segmentMembers } from '../../../db/repositories/operation-players.repository.ts';
import { operations, type OperationRow } from '../../../db/repositories/operations.repository.ts';
import { decodeCursor, pageOf, type Page } from '../keyset.ts';
import type { OperationEffects, OperationSpec } from './effects.ts';
import { OPERATION_JOBS, operationJobParams, type OperationStep } from './handlers.ts';
import type { JobsService } from '../jobs/jobs.service.ts';
import type { OperationTarget, OperationTargets, TargetRequest } from './targets.ts';

/** The operator acting. */
export interface OperationActor {
  id: string;
  username: string;
}

/** A player of a preview: the effect the operation would have on them now. */
export interface PreviewRow {
  userId: string;
  username: string | null;
  status: 'succeeded' | 'skipped' | 'failed';
  error: string | null;
  before: unknown;
  after: unknown;
}

/** An operation's impact now: players matched, amount per currency, and a sample of 20 with before/after. */
export interface Preview {
  players: number;
  totals: Record<string, number>;
  sample: PreviewRow[];
}

/** A step started: the operation as it is now and the job running the step. */
export interface StepStarted {
  operation: OperationRow;
  jobId: string;
  /** the status the step started from */
  from: OperationStatus;
}

const SAMPLE_SIZE = 20;

/** Item ids a gacha pull can grant (known without a database row). */
const GACHA_ITEMS = new Set(BANNERS.flatMap((b) => [b.shardItemId, ...Object.values(b.items).flatMap((items) => items.map((i) => i.id))]));

/**
 * Bulk operations: a draft is previewed (the impact now), shadowed (a job computes every player's effect into job
 * items, writing nothing else), applied (after the operator typed the shadow's count, and only while the segment still
 * has the members the shadow planned: a job executes exactly the shadowed items) and undone (a job compensates each
 * applied item). Every step is an admin write in the caller's transaction; its job starts once that commits.
 */
export class OperationsService {
  constructor(
    private readonly d: { orm: MikroORM; jobs: JobsService; targets: OperationTargets; effects: OperationEffects; maxAmount: number },
  ) {}

  /** The largest amount per player (the request schema's bound). */
  get maxAmount(): number {
    return this.d.maxAmount;
  }

  /** Creates a draft after checking its parameters for the kind (amounts, item ids, tag format, status) and its target. */
  async createDraft(
    em: EntityManager,
    actor: OperationActor,
    input: { kind: OperationKind; params: unknown; target: TargetRequest },
  ): Promise<{ operation: OperationRow; duplicates: number }> {
    const perPlayerAmounts = input.target.type === 'list' && input.target.players.every((p) => p.amount !== undefined);
    const params = parseOperationParams(input.kind, input.params, { maxAmount: this.d.maxAmount, perPlayerAmounts });
    if (input.target.type === 'list' && !isCurrencyKind(input.kind) && input.target.players.some((p) => p.amount !== undefined)) {
      const message = `only a currency operation takes per-player amounts`;
      throw new DomainError('request/invalid', `The target list: ${message}.`, {
        issues: [{ path: 'body.target.players', message, code: 'custom' }],
      });
    }
    if (params.item_id !== undefined && !GACHA_ITEMS.has(params.item_id) && !(await operations.itemExists(em, params.item_id))) {
      const message = 'is not an item of the game (a gacha item, or one a product, event, mission or inventory holds)';
      throw new DomainError('request/invalid', `params.item_id ${message}.`, {
        issues: [{ path: 'body.params.item_id', message, code: 'custom' }],
      });
    }
    const { target, duplicates } = await this.d.targets.resolve(em, input.target);
    const operation = await operations.insert(em, {
      id: randomUUID(),
      kind: input.kind,
      params: params as Record<string, unknown>,
      target,
      createdBy: actor.id,
      createdByName: actor.username,
    });
    return { operation, duplicates };
  }

  async get(id: string): Promise<OperationRow> {
    return this.found(await operations.byId(this.em(), id));
  }

  async list(q: { status?: OperationStatus; cursor?: string; limit: number }): Promise<Page<OperationRow>> {
    const after = decodeCursor(q.cursor, { value: 'timestamp', id: 'uuid' });
    const rows = await operations.page(this.em(), { status: q.status, after, limit: q.limit });
    return pageOf(rows, q.limit, (r) => ({ value: r.sortKey, id: r.id }));
  }

  /** The impact of the operation if it ran now (reads only). */
  async preview(id: string): Promise<Preview> {
    const em = this.em();
    const op = this.found(await operations.byId(em, id));
    const spec = specOf(op);
    const target = op.target as OperationTarget;
    const { count, amount } = await this.d.targets.count(em, target, spec.params.amount ?? null);
    const sampled = await this.d.targets.sample(em, target, SAMPLE_SIZE);
    const names = await segmentMembers.usernames(
      em,
      sampled.map((s) => s.userId),
    );
    const sample: PreviewRow[] = [];
    for (const s of sampled) {
      const e = await this.d.effects.plan(em, spec, s.userId, s.amount === null ? {} : { amount: s.amount });
      const r = e.result ?? {};
      sample.push({
        userId: s.userId,
        username: names.get(s.userId) ?? null,
        status: e.status,
        error: e.error ?? null,
        before: r.before,
        after: r.after,
      });
    }
    const totals = isCurrencyKind(op.kind) ? { [spec.params.currency!]: op.kind === 'grant_currency' ? amount : -amount } : {};
    return { players: count, totals, sample };
  }

  /** Starts the shadow run: one job item per player holding the computed effect; the plan fingerprint is taken now. */
  async shadow(em: EntityManager, actor: OperationActor, id: string): Promise<StepStarted> {
    const op = await this.locked(em, id);
    assertStep('shadow', op.status);
    const target = op.target as OperationTarget;
    const plan = await this.d.targets.fingerprint(em, target);
    const jobId = await this.startJob(em, actor, op, 'shadow', await this.d.targets.itemsSql(target));
    return { operation: await operations.update(em, id, { status: 'shadowing', shadowJobId: jobId, plan }), jobId, from: op.status };
  }

  /**
   * Starts the apply of exactly the shadowed items: 422 `operation/confirmation_mismatch` unless `confirmCount` is the
   * shadow's item count, 409 `operation/stale_plan` when the segment's members changed since the shadow.
   */
  async apply(em: EntityManager, actor: OperationActor, id: string, confirmCount: number): Promise<StepStarted> {
    const op = await this.locked(em, id);
    assertStep('apply', op.status);
    const planned = await operations.jobItemCount(em, op.shadowJobId!);
    if (confirmCount !== planned) {
      throw new DomainError('operation/confirmation_mismatch', `The confirmation must be the number of players the shadow run planned.`, {
        confirm_count: confirmCount,
      });
    }
    const target = op.target as OperationTarget;
    if (target.type === 'segment') {
      const now = await this.d.targets.fingerprint(em, target);
      if (now.hash !== op.plan?.hash || now.count !== op.plan.count) {
        throw new DomainError('operation/stale_plan', "The segment's members changed since the shadow run: shadow it again, then apply.", {
          planned: op.plan?.count ?? null,
          now: now.count,
        });
      }
    }
    const jobId = await this.startJob(em, actor, op, 'apply', operations.copyItemsSql(op.shadowJobId!));
    return { operation: await operations.update(em, id, { status: 'applying', applyJobId: jobId }), jobId, from: op.status };
  }

  /** Starts the undo: a compensating effect per applied item (409 `operation/not_undoable` for a notification). */
  async undo(em: EntityManager, actor: OperationActor, id: string): Promise<StepStarted> {
    const op = await this.locked(em, id);
    if (!isUndoable(op.kind))
      throw new DomainError('operation/not_undoable', `A ${op.kind} operation cannot be undone.`, { kind: op.kind });
    assertStep('undo', op.status);
    const items = operations.copyItemsSql(op.applyJobId!, { status: 'succeeded', withResult: true });
    const jobId = await this.startJob(em, actor, op, 'undo', items);
    return { operation: await operations.update(em, id, { status: 'undoing', undoJobId: jobId }), jobId, from: op.status };
  }

  private async startJob(
    em: EntityManager,
    actor: OperationActor,
    op: OperationRow,
    step: OperationStep,
    items: { sql: string; params: unknown[] },
  ): Promise<string> {
    const job = await this.d.jobs.create(em, {
      kind: OPERATION_JOBS[step],
      params: operationJobParams(specOf(op), step),
      createdBy: actor,
      refType: 'operation',
      refId: op.id,
      items,
    });
    return job.id;
  }

  private async locked(em: EntityManager, id: string): Promise<OperationRow> {
    return this.found(await operations.byId(em, id, { lock: true }));
  }

  private found(op: OperationRow | null): OperationRow {
    if (!op) throw new DomainError('resource/not_found', 'No operation has this id.');
    return op;
  }

  private em(): EntityManager {
    return this.d.orm.em.fork() as EntityManager;
  }
}

function specOf(op: OperationRow): OperationSpec {
  return { id: op.id, kind: op.kind, params: op.params as OperationParams, createdBy: op.createdBy, createdByName: op.createdByName };
}
