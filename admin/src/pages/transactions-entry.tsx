// A ledger entry in the transactions drawer: the entry, the record that caused it (purchase, round, reward,
// adjustment) with the pairing status, and the data lag from the source's commit to the ledger to the outbox publish.
import type { LedgerEntryRow, PairingStatus } from '../api/types.ts';
import { amount, duration, time } from './format.ts';

const STATUS_TEXT: Record<PairingStatus, string> = {
  paired: 'paired',
  missing_source: 'missing source',
  missing_ledger: 'missing ledger entry',
  amount_mismatch: 'amount mismatch',
};

/** The pairing status as a coloured badge (green when paired, red otherwise). */
export function PairingBadge({ status }: { status: PairingStatus }) {
  return (
    <span className={`badge pairing ${status}`} data-testid="pairing-status" data-status={status}>
      {STATUS_TEXT[status]}
    </span>
  );
}

/** A signed amount: `+1,200` or `−300`. */
export function signed(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return n < 0 ? `−${amount(-n)}` : `+${amount(n)}`;
}

/** A lag after the previous step: `+18 ms`, or `−18 ms` when the clocks put it before. */
function after(ms: number | null): string {
  if (ms === null) return '';
  return ms < 0 ? `−${duration(-ms)}` : `+${duration(ms)}`;
}

function isoTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace('Z', ' UTC') : '–';
}

/** Everything about one ledger entry and its pair. */
export function EntryDetails({ entry: e }: { entry: LedgerEntryRow }) {
  return (
    <>
      <dl className="facts" data-testid="entry-facts">
        <dt>Entry</dt>
        <dd>
          <code>#{e.entry_id}</code> · {time(e.created_at)}
        </dd>
        <dt>Player</dt>
        <dd>
          <code>{e.user_id}</code>
        </dd>
        <dt>Amount</dt>
        <dd>
          {signed(e.delta)} {e.currency} → balance {amount(e.balance_after)}
        </dd>
        <dt>Reason</dt>
        <dd>{e.reason}</dd>
        <dt>Reference</dt>
        <dd>
          {e.ref_type ?? '–'} <code>{e.ref_id ?? ''}</code>
        </dd>
        <dt>Actor</dt>
        <dd>{e.actor}</dd>
        <dt>Idempotency key</dt>
        <dd>
          <code>{e.idempotency_key ?? '–'}</code>
        </dd>
      </dl>
      <h3>
        Pair <PairingBadge status={e.pairing_status} />
      </h3>
      {e.pair ? (
        <dl className="facts" data-testid="entry-pair">
          <dt>Source</dt>
          <dd>
            {e.pair.type} <code>{e.pair.id ?? '–'}</code>
          </dd>
          <dt>Committed</dt>
          <dd>{isoTime(e.pair.committed_at)}</dd>
          <dt>Expected amount</dt>
          <dd>
            {signed(e.pair.expected_delta)} {e.currency}
          </dd>
        </dl>
      ) : (
        <p className="state">No source record: nothing explains this entry.</p>
      )}
      <h3>Data lag</h3>
      <ol className="lag" data-testid="entry-lag">
        <li>
          <span>Source committed</span> <time>{isoTime(e.lag.source_committed_at)}</time> <em />
        </li>
        <li>
          <span>Ledger entry</span> <time>{isoTime(e.lag.ledger_at)}</time> <em>{after(e.lag.source_to_ledger_ms)}</em>
        </li>
        <li>
          <span>Outbox published</span> <time>{e.lag.outbox_published_at ? isoTime(e.lag.outbox_published_at) : 'not yet'}</time>{' '}
          <em>{after(e.lag.ledger_to_publish_ms)}</em>
        </li>
      </ol>
      {e.meta && (
        <>
          <h3>Metadata</h3>
          <pre>{JSON.stringify(e.meta, null, 2)}</pre>
        </>
      )}
    </>
  );
}
