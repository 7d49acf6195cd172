// Operators' notes on a player: the list (newest first) and, for `players:notes`, a box to add one.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { useCan } from '../api/permissions.ts';
import type { Note } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { useToast } from '../components/Toasts.tsx';
import { time } from './format.ts';
import { RecordTable, usePagedList, type ListColumn } from './players-list.tsx';

const columns: ListColumn<Note>[] = [
  { header: 'Time', cell: (n) => time(n.created_at) },
  { header: 'Author', cell: (n) => n.author_name },
  { header: 'Note', cell: (n) => <span className="note">{n.text}</span> },
];

/** The notes tab of the player drawer. */
export function PlayerNotes({ playerId }: { playerId: string }) {
  const result = usePagedList<Note>(['admin', 'player', playerId, 'notes'], `/api/admin/players/${playerId}/notes`);
  return (
    <>
      {useCan('players:notes') && <AddNote playerId={playerId} />}
      <RecordTable label="notes" result={result} columns={columns} emptyText="No note on this player." />
    </>
  );
}

function AddNote({ playerId }: { playerId: string }) {
  const [text, setText] = useState('');
  const notify = useToast();
  const add = useAdminWrite<{ text: string }, Note>('POST', `/api/admin/players/${playerId}/notes`, {
    invalidates: [['admin', 'player', playerId]],
    onSuccess: () => {
      setText('');
      notify('success', 'Note added.');
    },
    onError: (err) => notify('error', err instanceof ApiError ? err.message : 'The note was not saved.'),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim()) add.run({ text: text.trim() });
  };
  return (
    <form className="add-note" onSubmit={submit}>
      <label className="field wide">
        <span>New note</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} rows={2} data-testid="note-text" />
      </label>
      <button type="submit" className="primary" disabled={add.pending || !text.trim()}>
        Add note
      </button>
    </form>
  );
}
