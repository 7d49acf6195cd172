import type { EntityManager } from '@mikro-orm/postgresql';

/** A job as its handler sees it. */
export interface OperationJob {
  id: string;
  kind: string;
  status: string;
  params: Record<string, unknown>;
}

/** One item of a job: the player and what the step carries for them. */
export interface OperationJobItem {
  userId: string | null;
  payload: Record<string, unknown>;
}

/** What running one item did (written with the item, in the transaction of its effects). */
export interface ItemOutcome {
  status: 'succeeded' | 'skipped' | 'failed';
  result?: Record<string, unknown>;
  error?: string;
}

/** A kind of job the runtime runs item by item. */
export interface OperationJobHandler {
  kind: string;
  runItem(em: EntityManager, ctx: { job: OperationJob; item: OperationJobItem }): Promise<ItemOutcome>;
  onEnd?(em: EntityManager, job: OperationJob): Promise<void>;
}

/** The job runtime, as operations use it: jobs created in the caller's transaction start by themselves once it commits. */
export interface JobRunner {
  register(handler: OperationJobHandler): void;
  create(
    em: EntityManager,
    spec: {
      kind: string;
      params: Record<string, unknown>;
      createdBy: { id: string; username: string };
      refType?: string;
      refId?: string;
      items: { sql: string; params: unknown[] };
    },
  ): Promise<{ id: string }>;
}
