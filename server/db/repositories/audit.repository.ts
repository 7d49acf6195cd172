import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditResult } from '../entities/admin.entity.ts';
import { fromJson } from '../sql.ts';

/** A row of the audit log as written and read. */
export interface AuditRecord {
  id: string;
  at: Date;
  /** the order rows were written in (ties of `at` are broken by it) */
  seq: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  result: AuditResult;
  error: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  jobId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** What to find: each filter narrows, `from` inclusive, `to` exclusive. */
export interface AuditFilter {
  /** an operator's id, or their username (case-insensitive) */
  actor?: string;
  action?: string;
  /** the target's id */
  target?: string;
  result?: AuditResult;
  from?: Date;
  to?: Date;
}

/** Keyset position: the last row seen (newest first, ties broken by `seq`), its time as ISO 8601 text. */
export interface AuditAfter {
  value: string;
  /** the row's `seq` */
  id: string;
}

const COLUMNS = `id, at, actor_id, actor_name, actor_role, action, target_type, target_id, before, after, result, error,
  request_id, idempotency_key, job_id, ip, user_agent`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audit_log table: append-only (the database refuses UPDATE, DELETE and TRUNCATE). */
export const auditLog = {
  async insert(em: EntityManager, r: Omit<AuditRecord, 'id' | 'seq'>): Promise<string> {
    const id = randomUUID();
    await em.execute(`insert into audit_log (${COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)`, [
      id,
      r.at,
      r.actorId,
      r.actorName,
      r.actorRole,
      r.action,
      r.targetType,
      r.targetId,
      r.before === undefined || r.before === null ? null : JSON.stringify(r.before),
      r.after === undefined || r.after === null ? null : JSON.stringify(r.after),
      r.result,
      r.error,
      r.requestId,
      r.idempotencyKey,
      r.jobId,
      r.ip,
      r.userAgent,
    ]);
    return id;
  },

  /** Rows matching `filter`, newest first, after the keyset position `after`. */
  async list(em: EntityManager, filter: AuditFilter, after: AuditAfter | undefined, limit: number): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (filter.actor) {
      if (UUID.test(filter.actor)) add('actor_id = ?', filter.actor);
      else add('lower(actor_name) = lower(?)', filter.actor);
    }
    if (filter.action) add('action = ?', filter.action);
    if (filter.target) add('target_id = ?', filter.target);
    if (filter.result) add('result = ?', filter.result);
    if (filter.from) add('at >= ?', filter.from);
    if (filter.to) add('at < ?', filter.to);
    if (after) add('(at, seq) < (?::timestamptz, ?::bigint)', after.value, after.id);
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select ${COLUMNS}, seq from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by at desc, seq desc limit ?`,
      [...params, limit],
    );
    return rows.map(toRecord);
  },
};

function toRecord(r: Record<string, unknown>): AuditRecord {
  return {
    id: r.id as string,
    at: new Date(r.at as string | Date),
    seq: String(r.seq),
    actorId: r.actor_id as string | null,
    actorName: r.actor_name as string | null,
    actorRole: r.actor_role as string | null,
    action: r.action as string,
    targetType: r.target_type as string | null,
    targetId: r.target_id as string | null,
    before: r.before === null ? null : fromJson(r.before),
    after: r.after === null ? null : fromJson(r.after),
    result: r.result as AuditResult,
    error: r.error as string | null,
    requestId: r.request_id as string | null,
    idempotencyKey: r.idempotency_key as string | null,
    jobId: r.job_id as string | null,
    ip: r.ip as string | null,
    userAgent: r.user_agent as string | null,
  };
}
