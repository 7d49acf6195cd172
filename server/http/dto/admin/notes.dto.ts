import { z } from 'zod';
import type { NoteRecord } from '../../../services/admin/notes.service.ts';
import { PageQuery, pageResponse } from './paging.dto.ts';

export const PlayerParams = z.object({ id: z.uuid() });

export const NoteRequest = z.object({ text: z.string().trim().min(1).max(2000) }).strict();

export const NotesQuery = PageQuery;

export const NoteResponse = z.object({
  id: z.uuid(),
  player_id: z.uuid(),
  author_id: z.uuid(),
  author_name: z.string(),
  text: z.string(),
  created_at: z.string(),
});

export const NotesPage = pageResponse(NoteResponse);

/** A note on the wire. */
export function noteBody(n: NoteRecord) {
  return {
    id: n.id,
    player_id: n.playerId,
    author_id: n.authorId,
    author_name: n.authorName,
    text: n.text,
    created_at: n.createdAt.toISOString(),
  };
}

export type NoteBody = ReturnType<typeof noteBody>;
