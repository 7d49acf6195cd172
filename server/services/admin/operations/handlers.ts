import type { EntityManager } from '@mikro-orm/postgresql';
import type { OperationKind, OperationParams, OperationStatus } from '../../../../domain/admin/operations.ts';
import { operations } from '../../../db/repositories/operations.repository.ts';
import type { OperationEffects, OperationSpec } from './effects.ts';
import type { JobHandler, JobRecord } from '../jobs/types.ts';

/** The job kinds of an operation's steps. */
export const OPERATION_JOBS = { shadow: 'operation.shadow', apply: 'operation.apply', undo: 'operation.undo' } as const;
export type OperationStep = keyof typeof OPERATION_JOBS;

/** What an operation's status becomes when the job of a step ends DONE. */
const DONE_STATUS: Record<OperationStep, OperationStatus> = { shadow: 'shadowed', apply: 'applied', undo: 'undone' };
const JOB_COLUMN = { shadow: 'shadowJobId', apply: 'applyJobId', undo: 'undoJobId' } as const;

/** The parameters every operation job carries: enough to run an item without reading the operation. */
export function operationJobParams(op: OperationSpec, step: OperationStep): Record<string, unknown> {
  return { operation_id: op.id, step, kind: op.kind, params: op.params, created_by: op.createdBy, created_by_name: op.createdByName };
}

function specOf(job: JobRecord): OperationSpec {
  const p = job.params;
  return {
    id: String(p.operation_id),
    kind: p.kind as OperationKind,
    params: p.params as OperationParams,
    createdBy: String(p.created_by),
    createdByName: String(p.created_by_name),
  };
}

/** Done once a step's job ended and its operation was updated (after commit where it matters; best effort). */
export interface AfterStep {
  /** players banned by an apply or undo: their sessions' tokens are refused and rooms drop them */
  signOut(userIds: string[]): Promise<void>;
  /** players who got a notification in their inbox: a hub push to those online */
  pushOnline(userIds: string[], msg: { title: string; body: string; deepLink: string | null }): Promise<void>;
}

/**
 * The three job handlers of operations: `operation.shadow` computes each player's effect into its item (writes nothing
 * else), `operation.apply` executes the shadowed items, `operation.undo` compensates the applied ones. When a job ends
 * the operation takes the step's status (`canceled` if the job was; `failed` for a shadow with a failed item) and the
 * step's totals.
 */
export function operationJobHandlers(effects: OperationEffects, after: AfterStep): JobHandler[] {
  const handler = (step: OperationStep): JobHandler => ({
    kind: OPERATION_JOBS[step],
    runItem: (em, { job, item }) => {
      const run = step === 'shadow' ? effects.plan : step === 'apply' ? effects.apply : effects.undo;
      return run.call(effects, em, specOf(job), item.userId!, item.payload);
    },
    onEnd: (em, job) => endStep(em, job, step, after),
  });
  return [handler('shadow'), handler('apply'), handler('undo')];
}

async function endStep(em: EntityManager, job: JobRecord, step: OperationStep, after: AfterStep): Promise<void> {
  const spec = specOf(job);
  const op = await operations.byId(em, spec.id, { lock: true });
  if (!op || op[JOB_COLUMN[step]] !== job.id) return;
  const byStatus = await operations.jobItemTotals(em, job.id);
  const count = (s: string) => byStatus[s]?.count ?? 0;
  const totals = {
    ...op.totals,
    [step]: {
      players: count('succeeded') + count('failed') + count('skipped') + count('pending'),
      succeeded: count('succeeded'),
      failed: count('failed'),
      skipped: count('skipped'),
      amount: byStatus.succeeded?.amount ?? 0,
    },
  };
  // an apply or undo whose items ran to the end is done even when some failed (partial success, counted in the totals);
  // a shadow with a failed item has no complete plan
  const status: OperationStatus =
    job.status === 'CANCELED' ? 'canceled' : job.status === 'FAILED' && step === 'shadow' ? 'failed' : DONE_STATUS[step];
  await operations.update(em, op.id, { status, totals });
  if (step === 'shadow') return;
  if (spec.kind === 'notify') {
    const users = await operations.succeededUsers(em, job.id);
    await after.pushOnline(users, { title: spec.params.title!, body: spec.params.body!, deepLink: spec.params.deep_link ?? null });
  } else if (spec.kind === 'set_status') {
    await after.signOut(await operations.succeededUsers(em, job.id, { after: 'banned' }));
  }
}
