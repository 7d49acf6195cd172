import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** An operator's note on a player. */
export interface NoteRecord {
  id: string;
  playerId: string;
  authorId: string;
  authorName: string;
  text: string;
  createdAt: Date;
}

/** The player_notes table, newest first. */
export const playerNotes = {
  async insert(em: EntityManager, n: Omit<NoteRecord, 'id'>): Promise<NoteRecord> {
    const note = { id: randomUUID(), ...n };
    await em.execute(`insert into player_notes (id, player_id, author_id, author_name, text, created_at) values (?, ?, ?, ?, ?, ?)`, [
      note.id,
      note.playerId,
      note.authorId,
      note.authorName,
      note.text,
      note.createdAt,
    ]);
    return note;
  },

  /** A player's notes, newest first, after the keyset `(created_at, id)` given as text. */
  async list(em: EntityManager, playerId: string, after: { value: string; id: string } | undefined, limit: number): Promise<NoteRecord[]> {
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select id, player_id, author_id, author_name, text, created_at from player_notes
       where player_id = ? ${after ? 'and (created_at, id) < (?::timestamptz, ?::uuid)' : ''} order by created_at desc, id desc limit ?`,
      after ? [playerId, after.value, after.id, limit] : [playerId, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      playerId: r.player_id as string,
      authorId: r.author_id as string,
      authorName: r.author_name as string,
      text: r.text as string,
      createdAt: new Date(r.created_at as string | Date),
    }));
  },

  async playerExists(em: EntityManager, playerId: string): Promise<boolean> {
    const rows = await em.execute<unknown[]>(`select 1 from users where id = ?`, [playerId]);
    return rows.length > 0;
  },
};
