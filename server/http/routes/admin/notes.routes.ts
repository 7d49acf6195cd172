import type { PlayerNotesService } from '../../../services/admin/notes.service.ts';
import type { ApiRouter } from '../../api.ts';
import type { AdminWrite } from '../../admin-write.ts';
import { NoteRequest, NoteResponse, noteBody, NotesPage, NotesQuery, PlayerParams } from '../../dto/admin/notes.dto.ts';
import { pageBody } from '../../dto/admin/paging.dto.ts';
import { IdempotencyHeader } from '../../dto/idempotency.dto.ts';

/** Operators' notes on a player: GET and POST /admin/players/{id}/notes. */
export function adminNotesRoutes(api: ApiRouter, deps: { notes: PlayerNotesService; adminWrite: AdminWrite }) {
  api.route(
    {
      method: 'get',
      path: '/admin/players/:id/notes',
      permission: 'players:read',
      summary: "Operators' notes on a player, newest first",
      params: PlayerParams,
      query: NotesQuery,
      responses: { 200: { description: 'a page of notes', schema: NotesPage }, 400: 'request/invalid', 404: 'resource/not_found' },
    },
    async ({ params, query }) => ({ status: 200, body: pageBody(await deps.notes.list(params.id, query.cursor, query.limit), noteBody) }),
  );

  api.route(
    {
      method: 'post',
      path: '/admin/players/:id/notes',
      permission: 'players:notes',
      summary: 'Add a note on a player (idempotent: Idempotency-Key required)',
      params: PlayerParams,
      body: NoteRequest,
      headers: IdempotencyHeader,
      responses: {
        201: { description: 'the note', schema: NoteResponse },
        400: 'request/invalid (names the field or the Idempotency-Key header)',
        404: 'resource/not_found',
        409: 'idempotency/key_reuse, idempotency/in_progress',
        503: 'admin/writes_disabled',
      },
    },
    (ctx) =>
      deps.adminWrite(ctx, { action: 'player.note.add', target: { type: 'player', id: ctx.params.id } }, async (em) => {
        const note = noteBody(await deps.notes.add(em, ctx.params.id, operator(ctx.principal), ctx.body.text));
        return { status: 201, body: note, before: null, after: note };
      }),
  );
}

function operator(p: { userId: string; username: string; role: string }) {
  return { id: p.userId, username: p.username, role: p.role };
}
