import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DEEP_LINKS, type DeepLink } from '../../../domain/notifications/notification.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { inbox, type DeliveredChunk, type InboxContent, type InboxMessageRecord } from '../../db/repositories/inbox.repository.ts';
import type { HubPublisher } from '../../infra/hub.publisher.ts';
import { decodeCursor, pageOf, type Page } from '../admin/keyset.ts';

export type { DeliveredChunk, InboxMessageRecord };

/** A message to put in players' inboxes; `dedupeKey` delivers at most once per player, whatever carries it. */
export interface InboxDelivery {
  notificationId: string | null;
  title: string;
  body: string;
  /** a game (`slot`, `crash`, `rps`, `gacha`) or `shop` */
  deepLink: string | null;
  dedupeKey: string;
}

/** Pushes in flight at once when telling online players about new messages. */
const PUSH_BATCH = 200;

/** Players' inboxes: delivery (in the caller's transaction), the live push after it, and the player's own reads. */
export class InboxService {
  constructor(
    private readonly orm: MikroORM,
    private readonly hub: HubPublisher,
    private readonly clock: Clock,
  ) {}

  /** Puts the message in each player's inbox unless its dedupe key is already there; returns the rows inserted. */
  async deliver(em: EntityManager, userIds: string[], msg: InboxDelivery): Promise<number> {
    return (await inbox.insertFor(em, userIds, toContent(msg))).length;
  }

  /** Delivers to the next `limit` players (by id, after `after`) of a `select … user_id` query, in one statement. */
  async deliverChunk(
    em: EntityManager,
    members: { sql: string; params: unknown[] },
    after: string | null,
    limit: number,
    msg: InboxDelivery,
  ): Promise<DeliveredChunk> {
    return inbox.insertChunk(em, members, after, limit, toContent(msg));
  }

  /** After the delivery committed: a hub `notification` push to each player (best effort; offline players read the inbox). */
  async pushOnline(userIds: string[], msg: InboxDelivery): Promise<void> {
    const payload = { kind: 'inbox', notification_id: msg.notificationId, title: msg.title, body: msg.body, deep_link: msg.deepLink };
    for (let i = 0; i < userIds.length; i += PUSH_BATCH) {
      await Promise.all(userIds.slice(i, i + PUSH_BATCH).map((id) => this.hub.push(id, 'notification', payload)));
    }
  }

  /** A page of the player's messages, newest first, and how many of all their messages are unread. */
  async list(userId: string, cursor: string | undefined, limit: number): Promise<{ page: Page<InboxMessageRecord>; unread: number }> {
    const after = decodeCursor(cursor, { value: 'timestamp', id: 'uuid' });
    const em = this.orm.em.fork() as EntityManager;
    const [rows, unread] = await Promise.all([inbox.list(em, userId, after, limit + 1), inbox.unreadCount(em, userId)]);
    return { page: pageOf(rows, limit, (m) => ({ value: m.createdAt.toISOString(), id: m.id })), unread };
  }

  /** Marks one of the player's messages read (a repeat keeps the first time); 404 for anyone else's or an unknown id. */
  async markRead(userId: string, id: string): Promise<{ message: InboxMessageRecord; unread: number }> {
    const em = this.orm.em.fork() as EntityManager;
    const message = await inbox.markRead(em, userId, id, this.clock.now());
    if (!message) throw new DomainError('resource/not_found', 'No message in your inbox has this id.');
    return { message, unread: await inbox.unreadCount(em, userId) };
  }
}

function toContent(msg: InboxDelivery): InboxContent {
  if (msg.deepLink !== null && !(DEEP_LINKS as readonly string[]).includes(msg.deepLink)) {
    throw new DomainError('request/invalid', `A deep link is one of ${DEEP_LINKS.join(', ')}.`);
  }
  return { ...msg, deepLink: msg.deepLink as DeepLink | null };
}
