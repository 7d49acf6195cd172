import type { EntityManager } from '@mikro-orm/postgresql';
import type { DeepLink, NotificationStatus, NotificationTarget } from '../../../domain/notifications/notification.ts';
import { fromJson } from '../sql.ts';

/** A notification as stored, with its read count when read through `get`/`list`. */
export interface NotificationRecord {
  id: string;
  title: string;
  body: string;
  deepLink: DeepLink | null;
  target: NotificationTarget;
  scheduledAt: Date;
  status: NotificationStatus;
  dedupeKey: string;
  attempts: number;
  lastError: string | null;
  createdBy: string;
  createdByName: string;
  targeted: number;
  delivered: number;
  read: number;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

export type NewNotification = Pick<
  NotificationRecord,
  'id' | 'title' | 'body' | 'deepLink' | 'target' | 'scheduledAt' | 'dedupeKey' | 'createdBy' | 'createdByName' | 'createdAt'
>;

const SELECT = `select n.*, (select count(*) from inbox_messages i where i.notification_id = n.id and i.read_at is not null) as read
  from notifications n`;

/** The notifications table: operators' notifications and their delivery state. */
export const notifications = {
  async insert(em: EntityManager, n: NewNotification): Promise<void> {
    await em.execute(
      `insert into notifications (id, title, body, deep_link, target, scheduled_at, status, dedupe_key, created_by, created_by_name, created_at, updated_at)
       values (?, ?, ?, ?, ?::jsonb, ?, 'scheduled', ?, ?, ?, ?, ?)`,
      [
        n.id,
        n.title,
        n.body,
        n.deepLink,
        JSON.stringify(n.target),
        n.scheduledAt,
        n.dedupeKey,
        n.createdBy,
        n.createdByName,
        n.createdAt,
        n.createdAt,
      ],
    );
  },

  async get(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<NotificationRecord | null> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      opts.lock ? `select n.*, 0 as read from notifications n where n.id = ? for update` : `${SELECT} where n.id = ?`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },

  /** Newest first, optionally of one status, after the keyset `(created_at, id)` given as text. */
  async list(em: EntityManager, q: { status?: NotificationStatus; after?: { value: string; id: string }; limit: number }) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.status) {
      where.push('n.status = ?');
      params.push(q.status);
    }
    if (q.after) {
      where.push('(n.created_at, n.id) < (?::timestamptz, ?::uuid)');
      params.push(q.after.value, q.after.id);
    }
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by n.created_at desc, n.id desc limit ?`,
      [...params, q.limit],
    );
    return rows.map(toRecord);
  },

  /** Moves a notification from one of `from` to `to` (and applies `set`); false when it was in another status. */
  async transition(
    em: EntityManager,
    id: string,
    from: NotificationStatus[],
    to: NotificationStatus,
    at: Date,
    set: { scheduledAt?: Date; lastError?: string | null; startAttempt?: boolean; sentAt?: Date } = {},
  ): Promise<boolean> {
    const columns: Array<[string, unknown]> = [
      ['status', to],
      ['updated_at', at],
      ...(set.scheduledAt ? [['scheduled_at', set.scheduledAt] as [string, unknown]] : []),
      ...(set.lastError !== undefined ? [['last_error', set.lastError] as [string, unknown]] : []),
      ...(set.sentAt ? [['sent_at', set.sentAt] as [string, unknown]] : []),
    ];
    const sets = columns.map(([c]) => `${c} = ?`);
    const params = columns.map(([, v]) => v);
    if (set.startAttempt) sets.push('attempts = attempts + 1', 'targeted = 0');
    const rows = await em.execute<unknown[]>(
      `update notifications set ${sets.join(', ')} where id = ? and status in (${from.map(() => '?').join(', ')}) returning id`,
      [...params, id, ...from],
    );
    return rows.length > 0;
  },

  /** Adds one delivery chunk's counts. */
  async addCounts(em: EntityManager, id: string, targeted: number, delivered: number): Promise<void> {
    await em.execute(`update notifications set targeted = targeted + ?, delivered = delivered + ? where id = ?`, [targeted, delivered, id]);
  },

  /** Scheduled notifications whose time passed more than `graceMs` ago (their delayed job was lost, e.g. Redis was down). */
  async overdue(em: EntityManager, before: Date): Promise<string[]> {
    const rows = await em.execute<Array<{ id: string }>>(
      `select id from notifications where status = 'scheduled' and scheduled_at < ? order by scheduled_at limit 100`,
      [before],
    );
    return rows.map((r) => r.id);
  },
};

function toRecord(r: Record<string, unknown>): NotificationRecord {
  const date = (v: unknown) => new Date(v as string | Date);
  return {
    id: r.id as string,
    title: r.title as string,
    body: r.body as string,
    deepLink: (r.deep_link as DeepLink | null) ?? null,
    target: fromJson<NotificationTarget>(r.target),
    scheduledAt: date(r.scheduled_at),
    status: r.status as NotificationStatus,
    dedupeKey: r.dedupe_key as string,
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    createdBy: r.created_by as string,
    createdByName: r.created_by_name as string,
    targeted: Number(r.targeted),
    delivered: Number(r.delivered),
    read: Number(r.read ?? 0),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    sentAt: r.sent_at ? date(r.sent_at) : null,
  };
}
