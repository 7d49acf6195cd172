// A player's responsible-play limits (docs/limits.md), read-only: the limits in force with pending raises, usage and
// what is left per UTC period, a running cool-off or self-exclusion, and every change. Operators cannot change them:
// protection is only ever the player's to set.
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import type { PlayerLimits } from '../api/types.ts';
import { Failed, Loading } from '../components/StateViews.tsx';
import { amount, time } from './format.ts';

const KIND = { loss: 'Loss', wager: 'Wager', spend: 'Spend' } as const;
const ACTION: Record<string, string> = {
  limit_lowered: 'Limit set or lowered (at once)',
  limit_raise_requested: 'Raise requested (after 24 h)',
  limit_removal_requested: 'Removal requested (after 24 h)',
  cool_off: 'Cool-off started',
  self_exclusion: 'Self-exclusion started',
  reality_check: 'Reality-check interval',
};
const value = (n: number | null | undefined) => (n === null || n === undefined ? '—' : amount(n));

/** The Limits tab of the player drawer. */
export function PlayerLimitsTab({ playerId }: { playerId: string }) {
  const q = useQuery({
    queryKey: ['admin', 'player', playerId, 'limits'],
    queryFn: ({ signal }) => apiGet<PlayerLimits>(`/api/admin/players/${playerId}/limits`, signal),
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <Failed error={q.error} retry={() => void q.refetch()} />;
  const v = q.data;
  return (
    <div className="player-limits" data-testid="player-limits">
      <p className="muted small">Read-only: only the player sets their limits. Periods are UTC days, ISO weeks and months.</p>
      <p data-testid="limits-block">
        {v.block
          ? `${v.block.kind === 'cool_off' ? 'Cool-off' : 'Self-exclusion'} until ${time(v.block.until)}: no game rooms, no purchases.`
          : 'No cool-off or self-exclusion running.'}{' '}
        Reality check every {v.reality_check_minutes} min{v.reality_check_custom ? ' (player’s choice)' : ' (default)'}.
      </p>
      <div className="records">
        <table aria-label="limits">
          <thead>
            <tr>
              <th>Limit</th>
              <th className="num">Amount</th>
              <th>Pending</th>
              <th className="num">Used</th>
              <th className="num">Left</th>
            </tr>
          </thead>
          <tbody>
            {v.limits.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  No limit set.
                </td>
              </tr>
            )}
            {v.limits.map((l) => (
              <tr key={`${l.kind}:${l.currency}:${l.period}`} data-testid={`admin-limit-${l.kind}-${l.currency}-${l.period}`}>
                <td>
                  {KIND[l.kind]} {l.currency} per {l.period}
                </td>
                <td className="num">{value(l.amount)}</td>
                <td>
                  {l.pending
                    ? `${l.pending.amount === null ? 'removal' : amount(l.pending.amount)} from ${time(l.pending.effective_at)}`
                    : '—'}
                </td>
                <td className="num">{amount(l.used)}</td>
                <td className="num">{value(l.remaining)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>History</h4>
      <div className="records">
        <table aria-label="limits history">
          <thead>
            <tr>
              <th>Time</th>
              <th>By</th>
              <th>Change</th>
              <th>Limit</th>
              <th className="num">Before</th>
              <th className="num">After</th>
              <th>Applies</th>
            </tr>
          </thead>
          <tbody>
            {v.history.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  No change yet.
                </td>
              </tr>
            )}
            {v.history.map((h) => (
              <tr key={h.id} data-testid="limits-history-row">
                <td>{time(h.created_at)}</td>
                <td>{h.actor}</td>
                <td>{ACTION[h.action] ?? h.action}</td>
                <td>
                  {h.kind
                    ? `${KIND[h.kind as keyof typeof KIND] ?? h.kind} ${h.currency} per ${h.period}`
                    : h.detail?.until
                      ? `until ${time(String(h.detail.until))}`
                      : ''}
                </td>
                <td className="num">{value(h.before)}</td>
                <td className="num">{value(h.after)}</td>
                <td>{h.effective_at === h.created_at ? 'at once' : time(h.effective_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
