import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../domain/shared/clock.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { playerNotes, type NoteRecord } from '../../db/repositories/admin-notes.repository.ts';
import type { Actor } from './audit.service.ts';
import { decodeCursor, pageOf, type Page } from './keyset.ts';

export type { NoteRecord };

/** Operators' notes on players. */
export class PlayerNotesService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /** Adds a note (in the admin write's transaction); 404 for an unknown player. */
  async add(em: EntityManager, playerId: string, author: Actor, text: string): Promise<NoteRecord> {
    await this.assertPlayer(em, playerId);
    return playerNotes.insert(em, { playerId, authorId: author.id, authorName: author.username, text, createdAt: this.clock.now() });
  }

  /** A page of a player's notes, newest first, from `cursor` (the previous page's `nextCursor`); 404 for an unknown player. */
  async list(playerId: string, cursor: string | undefined, limit: number): Promise<Page<NoteRecord>> {
    const after = decodeCursor(cursor, { value: 'timestamp', id: 'uuid' });
    const em = this.orm.em.fork() as EntityManager;
    await this.assertPlayer(em, playerId);
    const rows = await playerNotes.list(em, playerId, after, limit + 1);
    return pageOf(rows, limit, (n) => ({ value: n.createdAt.toISOString(), id: n.id }));
  }

  private async assertPlayer(em: EntityManager, playerId: string) {
    if (!(await playerNotes.playerExists(em, playerId))) throw new DomainError('resource/not_found', 'No player has this id.');
  }
}
