// A wallet adjustment: currency, signed amount, reason code and note; then a confirmation naming the player, the
// amount and the currency. One admin write: applied at once (201), or, above the approval threshold, waiting for a
// second operator on the Approvals page (202), which the toast says.
import { useState } from 'react';
import { CURRENCIES } from '../../../domain/economy/currency.ts';
import { ApiError } from '../api/client.ts';
import type { Adjustment, AdjustmentReason, Currency, PlayerDetail } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useToast } from '../components/Toasts.tsx';
import { amount } from './format.ts';
import { playerQueries } from './players-list.tsx';

/** The API's reason codes (the compiler keeps this list equal to the server's) and how the form names them. */
const REASONS: Record<AdjustmentReason, string> = {
  goodwill: 'Goodwill',
  correction: 'Correction',
  compensation: 'Compensation',
  chargeback: 'Chargeback',
  fraud: 'Fraud',
};

interface AdjustmentRequest {
  currency: Currency;
  amount: number;
  reason: AdjustmentReason;
  note: string;
}

/** "Credit 500 GOLD to alice?" / "Debit 500 GOLD from alice?" */
export function adjustmentQuestion(a: { amount: number; currency: string }, username: string): string {
  return a.amount < 0
    ? `Debit ${amount(-a.amount)} ${a.currency} from ${username}?`
    : `Credit ${amount(a.amount)} ${a.currency} to ${username}?`;
}

/** The adjustment dialog of a player's drawer: the form, then the confirmation. */
export function AdjustWallet({ player, onClose }: { player: PlayerDetail; onClose: () => void }) {
  const [draft, setDraft] = useState({ currency: CURRENCIES[0] as Currency, amount: '', reason: '' as AdjustmentReason | '', note: '' });
  const [review, setReview] = useState<AdjustmentRequest>();
  const notify = useToast();
  const write = useAdminWrite<AdjustmentRequest, Adjustment>('POST', `/api/admin/players/${player.id}/wallet/adjustments`, {
    invalidates: [...playerQueries(player.id), ['admin', 'approvals']],
    onSuccess: (a) => {
      const what = `${a.amount > 0 ? '+' : ''}${amount(a.amount)} ${a.currency} for ${player.username}`;
      if (a.status === 'pending') notify('info', `Pending approval: ${what} waits for a second operator (Approvals).`);
      else notify('success', `Applied: ${what}.`);
      onClose();
    },
    onError: (err) => notify('error', err instanceof ApiError ? err.message : 'The adjustment failed.'),
  });

  const value = Number(draft.amount);
  const valid = draft.amount.trim() !== '' && Number.isSafeInteger(value) && value !== 0 && draft.reason !== '';

  if (review) {
    return (
      <ConfirmDialog
        title={adjustmentQuestion(review, player.username)}
        confirmLabel={review.amount < 0 ? 'Debit' : 'Credit'}
        danger={review.amount < 0}
        busy={write.pending}
        onConfirm={() => write.run(review)}
        onCancel={() => setReview(undefined)}
      >
        <p>
          Reason: <code>{review.reason}</code>
          {review.note && <> · {review.note}</>}. The ledger records it as <code>admin_adjustment</code> under your name.
        </p>
      </ConfirmDialog>
    );
  }
  return (
    <ConfirmDialog
      title={`Adjust the wallet of ${player.username}`}
      confirmLabel="Review"
      busy={!valid}
      onConfirm={() =>
        valid && setReview({ currency: draft.currency, amount: value, reason: draft.reason as AdjustmentReason, note: draft.note.trim() })
      }
      onCancel={onClose}
    >
      <div className="adjust-form" data-testid="adjust-form">
        <label className="field">
          <span>Currency</span>
          <select value={draft.currency} onChange={(e) => setDraft({ ...draft, currency: e.target.value as Currency })}>
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Amount (− debits)</span>
          <input type="number" step={1} value={draft.amount} onChange={(e) => setDraft({ ...draft, amount: e.target.value })} />
        </label>
        <label className="field">
          <span>Reason</span>
          <select value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value as AdjustmentReason })}>
            <option value="">choose…</option>
            {(Object.keys(REASONS) as AdjustmentReason[]).map((r) => (
              <option key={r} value={r}>
                {REASONS[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="field wide">
          <span>Note</span>
          <textarea value={draft.note} maxLength={500} rows={2} onChange={(e) => setDraft({ ...draft, note: e.target.value })} />
        </label>
      </div>
    </ConfirmDialog>
  );
}
