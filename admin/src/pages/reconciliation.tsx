// Reconciliation (a tab of the transactions page): every ledger entry without or disagreeing with its source, every
// source without its ledger entry, every wallet whose balance differs from its ledger, and the status of the ledger's
// hash chains: how many were verified, and each broken one with its first broken entry (GET /api/admin/reconciliation).
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client.ts';
import type { LedgerEntryRow, Reconciliation, UnledgeredRow } from '../api/types.ts';
import { Failed, Loading } from '../components/StateViews.tsx';
import { amount, time } from './format.ts';
import { PairingBadge, signed } from './transactions-entry.tsx';

function UnpairedEntries({ rows, onOpen }: { rows: LedgerEntryRow[]; onOpen: (row: LedgerEntryRow) => void }) {
  return (
    <table aria-label="Unpaired ledger entries">
      <thead>
        <tr>
          <th>Entry</th>
          <th>Time</th>
          <th>Player</th>
          <th>Amount</th>
          <th>Reason</th>
          <th>Pairing</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.entry_id} onClick={() => onOpen(e)}>
            <td>#{e.entry_id}</td>
            <td>{time(e.created_at)}</td>
            <td>
              <code>{e.user_id}</code>
            </td>
            <td>
              {signed(e.delta)} {e.currency}
            </td>
            <td>{e.reason}</td>
            <td>
              <PairingBadge status={e.pairing_status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Sources (purchases, rounds, rewards) whose ledger entry is missing. */
export function MissingLedger({ rows }: { rows: UnledgeredRow[] }) {
  return (
    <table aria-label="Sources without their ledger entry">
      <thead>
        <tr>
          <th>Source</th>
          <th>Committed</th>
          <th>Player</th>
          <th>Expected</th>
          <th>Reason</th>
          <th>Pairing</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => (
          <tr key={`${u.source.type}:${u.source.id}:${u.currency}`}>
            <td>
              {u.source.type} <code>{u.source.id}</code>
            </td>
            <td>{time(u.source.committed_at)}</td>
            <td>
              <code>{u.user_id}</code>
            </td>
            <td>
              {signed(u.expected_delta)} {u.currency}
            </td>
            <td>{u.reason}</td>
            <td>
              <PairingBadge status="missing_ledger" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The hash chains: how many verified, and per broken chain the wallet and its first broken entry (or its stale head). */
/** Wallets with a problem, one row each; `withEntry` adds the entry the problem starts at (a broken hash chain). */
function DriftTable(p: { label: string; testId: string; rows: Reconciliation['wallet_drift']; withEntry?: boolean }) {
  return (
    <table aria-label={p.label} data-testid={p.testId}>
      <thead>
        <tr>
          <th>Player</th>
          <th>Currency</th>
          {p.withEntry && <th>First broken entry</th>}
          <th>Problem</th>
          <th>Detail</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.map((d) => (
          <tr key={`${d.user_id}:${d.currency}:${d.problem}`}>
            <td>
              <code>{d.user_id}</code>
            </td>
            <td>{d.currency}</td>
            {p.withEntry && <td>{d.entry_id === null ? '—' : `#${d.entry_id}`}</td>}
            <td>
              <span className="badge failed">{d.problem}</span>
            </td>
            <td>{d.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChainStatus({ chain }: { chain: Reconciliation['chain'] }) {
  const intact = chain.broken.length === 0;
  return (
    <div className="grid" data-testid="chain-status">
      <h3>Hash chains</h3>
      <p className={intact ? 'state ok' : 'state error'} data-testid="chain-summary">
        {amount(chain.verified)} wallet chains verified:{' '}
        {intact ? 'every entry’s hash matches its fields and the entry before it.' : `${chain.broken.length} broken.`}
      </p>
      {!intact && <DriftTable label="Broken hash chains" testId="broken-chains" rows={chain.broken} withEntry />}
    </div>
  );
}

/** The reconciliation report; a click on an unpaired entry opens it. */
export function ReconciliationView({ onOpen }: { onOpen: (row: LedgerEntryRow) => void }) {
  const report = useQuery({
    queryKey: ['admin', 'reconciliation'],
    queryFn: ({ signal }) => apiGet<Reconciliation>('/api/admin/reconciliation', signal),
  });
  if (report.isPending) return <Loading />;
  if (report.isError) return <Failed error={report.error} retry={() => void report.refetch()} />;
  const r = report.data;
  const clean = !r.unpaired_entries.length && !r.missing_ledger.length && !r.wallet_drift.length;
  return (
    <div className="report" data-testid="reconciliation">
      <p className={clean ? 'state ok' : 'state error'} data-testid="reconciliation-summary">
        {amount(r.wallets)} wallets, {amount(r.entries)} ledger entries and {amount(r.chain.verified)} hash chains checked:{' '}
        {clean
          ? 'everything pairs, every balance equals its ledger and every hash chain is intact.'
          : `${r.unpaired_entries.length} unpaired entries, ${r.missing_ledger.length} sources without an entry, ${r.wallet_drift.length} drifting wallets${r.truncated ? ' (lists cut: more exist)' : ''}.`}
        <button type="button" className="ghost" onClick={() => void report.refetch()}>
          Check again
        </button>
      </p>
      {r.unpaired_entries.length > 0 && (
        <div className="grid">
          <h3>Unpaired ledger entries</h3>
          <UnpairedEntries rows={r.unpaired_entries} onOpen={onOpen} />
        </div>
      )}
      {r.missing_ledger.length > 0 && (
        <div className="grid">
          <h3>Sources without their ledger entry</h3>
          <MissingLedger rows={r.missing_ledger} />
        </div>
      )}
      <ChainStatus chain={r.chain} />
      {r.wallet_drift.length > 0 && (
        <div className="grid">
          <h3>Drifting wallets</h3>
          <DriftTable label="Drifting wallets" testId="wallet-drift" rows={r.wallet_drift} />
        </div>
      )}
    </div>
  );
}
