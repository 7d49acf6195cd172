// The player drawer's actions, each shown only to operators whose role holds the permission its API route needs
// (domain/admin/rbac.ts): ban / unban (with a reason), revoke sessions, reset the login lockout, adjust the wallet.
// Every action asks first in a dialog naming the player, and is one admin write with its own Idempotency-Key.
import { useState } from 'react';
import type { Permission } from '../../../domain/admin/rbac.ts';
import { ApiError } from '../api/client.ts';
import { usePermissions } from '../api/permissions.ts';
import type { PlayerDetail } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useToast } from '../components/Toasts.tsx';
import { AdjustWallet } from './players-adjust.tsx';
import { playerQueries } from './players-list.tsx';

interface AccessAction {
  permission: Permission;
  /** the button's label */
  label: string;
  /** `POST /api/admin/players/{id}/<path>` */
  path: string;
  /** the confirmation's question, naming the player */
  question: (username: string) => string;
  /** the toast after it succeeded */
  done: (username: string) => string;
  danger?: boolean;
  /** the action takes a reason (sent in the body) */
  reason?: boolean;
  /** shown only for a player in this state */
  when?: (p: PlayerDetail) => boolean;
}

type ActionName = 'ban' | 'unban' | 'revoke' | 'lockout';

const ACTIONS: Record<ActionName, AccessAction> = {
  ban: {
    permission: 'players:ban',
    label: 'Ban',
    path: 'ban',
    question: (u) => `Ban player ${u}?`,
    done: (u) => `${u} is banned and signed out everywhere.`,
    danger: true,
    reason: true,
    when: (p) => p.status !== 'banned',
  },
  unban: {
    permission: 'players:ban',
    label: 'Unban',
    path: 'unban',
    question: (u) => `Unban player ${u}?`,
    done: (u) => `${u} may log in again.`,
    when: (p) => p.status === 'banned',
  },
  revoke: {
    permission: 'players:sessions',
    label: 'Revoke sessions',
    path: 'sessions/revoke',
    question: (u) => `End every session of ${u}?`,
    done: (u) => `Every session of ${u} has ended.`,
    danger: true,
  },
  lockout: {
    permission: 'players:sessions',
    label: 'Reset lockout',
    path: 'lockout/reset',
    question: (u) => `Reset the login lockout of ${u}?`,
    done: (u) => `${u} may try to log in again.`,
  },
};

/** The action bar of a player's drawer (nothing for a role without any of the permissions). */
export function PlayerActions({ player }: { player: PlayerDetail }) {
  const [open, setOpen] = useState<ActionName | 'adjust'>();
  const may = usePermissions();
  const mayAdjust = may.includes('wallet:adjust');
  const shown = (Object.keys(ACTIONS) as ActionName[]).filter((name) => {
    const a = ACTIONS[name];
    return may.includes(a.permission) && (a.when?.(player) ?? true);
  });
  if (shown.length === 0 && !mayAdjust) return null;
  return (
    <div className="player-actions" role="group" aria-label="Actions" data-testid="player-actions">
      {shown.map((name) => (
        <button
          key={name}
          type="button"
          className={ACTIONS[name].danger ? 'danger' : 'ghost'}
          onClick={() => setOpen(name)}
          data-testid={`action-${name}`}
        >
          {ACTIONS[name].label}
        </button>
      ))}
      {mayAdjust && (
        <button type="button" className="primary" onClick={() => setOpen('adjust')} data-testid="action-adjust">
          Adjust wallet
        </button>
      )}
      {open === 'adjust' && <AdjustWallet player={player} onClose={() => setOpen(undefined)} />}
      {open && open !== 'adjust' && <ActionDialog action={ACTIONS[open]} player={player} onClose={() => setOpen(undefined)} />}
    </div>
  );
}

function ActionDialog({ action, player, onClose }: { action: AccessAction; player: PlayerDetail; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const notify = useToast();
  const write = useAdminWrite<{ reason?: string }>('POST', `/api/admin/players/${player.id}/${action.path}`, {
    invalidates: playerQueries(player.id),
    onSuccess: () => {
      notify('success', action.done(player.username));
      onClose();
    },
    onError: (err) => notify('error', err instanceof ApiError ? err.message : `${action.label} failed.`),
  });
  return (
    <ConfirmDialog
      title={action.question(player.username)}
      confirmLabel={action.label}
      danger={action.danger}
      busy={write.pending || (action.reason === true && !reason.trim())}
      onConfirm={() => write.run(action.reason ? { reason: reason.trim() } : {})}
      onCancel={onClose}
    >
      {action.reason && (
        <label className="field wide dialog-field">
          <span>Reason (kept in the audit log)</span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={3} data-testid="action-reason" />
        </label>
      )}
    </ConfirmDialog>
  );
}
