import type { EntityManager } from '@mikro-orm/postgresql';
import { fromJson } from '../sql.ts';
import type { DeepLink } from '../../../domain/notifications/notification.ts';

/** What lands in each recipient's inbox. */
export interface InboxContent {
  notificationId: string | null;
  title: string;
  body: string;
  deepLink: DeepLink | null;
  dedupeKey: string;
}

/** One message of a player's inbox. */
export interface InboxMessageRecord {
  id: string;
  notificationId: string | null;
  title: string;
  body: string;
  deepLink: DeepLink | null;
  createdAt: Date;
  readAt: Date | null;
}

/** One chunk of a delivery: the members it walked, the last of them (where the next chunk starts) and who got a new message. */
export interface DeliveredChunk {
  matched: number;
  lastUserId: string | null;
  recipients: string[];
}

const COLUMNS = `user_id, id, notification_id, title, body, deep_link, dedupe_key`;
const VALUES = `gen_random_uuid(), ?::uuid, ?, ?, ?, ?`;
const contentParams = (m: InboxContent) => [m.notificationId, m.title, m.body, m.deepLink, m.dedupeKey];

/** The inbox_messages table: one row per (player, dedupe key), inserted with ON CONFLICT DO NOTHING. */
export const inbox = {
  /** Inserts the message for each of `userIds` that has none with its dedupe key yet; returns those players. */
  async insertFor(em: EntityManager, userIds: string[], m: InboxContent): Promise<string[]> {
    if (userIds.length === 0) return [];
    const rows = await em.execute<Array<{ user_id: string }>>(
      `insert into inbox_messages (${COLUMNS})
       select u.value::uuid, ${VALUES} from json_array_elements_text(?::json) as u on conflict (user_id, dedupe_key) do nothing returning user_id`,
      [...contentParams(m), JSON.stringify([...new Set(userIds)])],
    );
    return rows.map((r) => r.user_id);
  },

  /**
   * One chunk of a delivery to the players a `select … user_id` query returns: the next `limit` of them by id after
   * `after`, inserted in one statement (`insert … select … on conflict do nothing`).
   */
  async insertChunk(
    em: EntityManager,
    members: { sql: string; params: unknown[] },
    after: string | null,
    limit: number,
    m: InboxContent,
  ): Promise<DeliveredChunk> {
    const [row] = await em.execute<Array<{ matched: string; last_user_id: string | null; recipients: unknown }>>(
      `with chunk as (
         select m.user_id from (${members.sql}) m ${after ? 'where m.user_id > ?::uuid' : ''} order by m.user_id limit ?
       ), ins as (
         insert into inbox_messages (${COLUMNS}) select chunk.user_id, ${VALUES} from chunk
         on conflict (user_id, dedupe_key) do nothing returning user_id
       )
       select (select count(*) from chunk) as matched,
              (select user_id from chunk order by user_id desc limit 1) as last_user_id,
              (select coalesce(json_agg(user_id), '[]'::json) from ins) as recipients`,
      [...members.params, ...(after ? [after] : []), limit, ...contentParams(m)],
    );
    return { matched: Number(row.matched), lastUserId: row.last_user_id, recipients: fromJson<string[]>(row.recipients) };
  },

  /** A player's messages, newest first, after the keyset `(created_at, id)` given as text. */
  async list(em: EntityManager, userId: string, after: { value: string; id: string } | undefined, limit: number) {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select id, notification_id, title, body, deep_link, created_at, read_at from inbox_messages
       where user_id = ? ${after ? 'and (created_at, id) < (?::timestamptz, ?::uuid)' : ''}
       order by created_at desc, id desc limit ?`,
      after ? [userId, after.value, after.id, limit] : [userId, limit],
    );
    return rows.map(toRecord);
  },

  async unreadCount(em: EntityManager, userId: string): Promise<number> {
    const [row] = await em.execute<Array<{ n: string }>>(`select count(*) as n from inbox_messages where user_id = ? and read_at is null`, [
      userId,
    ]);
    return Number(row.n);
  },

  /** Marks a player's own message read (once: a second call keeps the first time); null when the player has no such message. */
  async markRead(em: EntityManager, userId: string, id: string, at: Date): Promise<InboxMessageRecord | null> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `update inbox_messages set read_at = coalesce(read_at, ?) where id = ? and user_id = ?
       returning id, notification_id, title, body, deep_link, created_at, read_at`,
      [at, id, userId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  },
};

function toRecord(r: Record<string, unknown>): InboxMessageRecord {
  return {
    id: r.id as string,
    notificationId: (r.notification_id as string | null) ?? null,
    title: r.title as string,
    body: r.body as string,
    deepLink: (r.deep_link as DeepLink | null) ?? null,
    createdAt: new Date(r.created_at as string | Date),
    readAt: r.read_at ? new Date(r.read_at as string | Date) : null,
  };
}
