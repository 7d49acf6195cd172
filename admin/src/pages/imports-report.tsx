// An import's validation report: the counts, the problems (row, column, problem) with the whole list as CSV, and, with
// imports:write, Apply: tags and grants become operations to preview, shadow and apply on the Operations page;
// products are created or updated by a job.
import { useState } from 'react';
import { Link } from '@tanstack/react-router';
import { ApiError, downloadFile } from '../api/client.ts';
import type { ImportReport, ImportRow } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { useCan } from '../app/useCan.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useToast } from '../components/Toasts.tsx';
import { amount, duration, time } from './format.ts';

/** Where applying an import led: its operations (tags, grants) or its job (products). */
function AppliedLinks({ report }: { report: ImportRow }) {
  if (report.operation_ids.length === 0 && !report.job_id) return null;
  return (
    <p data-testid="import-applied">
      {report.operation_ids.length > 0 && (
        <>
          Operations to preview, shadow and apply:{' '}
          {report.operation_ids.map((id, i) => (
            <span key={id}>
              {i > 0 && ', '}
              <Link to="/operations" search={{ open: id }}>
                {id.slice(0, 8)}
              </Link>
            </span>
          ))}
        </>
      )}
      {report.job_id && (
        <>
          Job <code>{report.job_id}</code>
          {report.status === 'applying' && ' running…'}
        </>
      )}
    </p>
  );
}

/** The report of one import, with Download and Apply. */
export function ReportPanel({ report }: { report: ImportReport }) {
  const notify = useToast();
  const canWrite = useCan('imports:write');
  const [confirming, setConfirming] = useState(false);
  const apply = useAdminWrite<Record<string, never>, ImportRow>('POST', `/api/admin/imports/${report.id}/apply`, {
    invalidates: [['admin', 'imports']],
    onSuccess: (done) => {
      notify('success', done.job_id ? 'Import applying: the job creates or updates the products.' : 'Operations drafted from the import.');
      setConfirming(false);
    },
    onError: (err) => {
      notify('error', err instanceof ApiError ? err.message : 'The import was not applied.');
      setConfirming(false);
    },
  });
  const download = () =>
    void downloadFile(`/api/admin/imports/${report.id}/errors.csv`, `${report.filename.replace(/\.csv$/i, '')}-report.csv`).catch(
      (err: unknown) => notify('error', err instanceof Error ? err.message : 'The download failed.'),
    );

  return (
    <section className="import-report" aria-label="Validation report" data-testid="import-report">
      <h2>
        {report.filename} <span className={`badge ${report.status}`}>{report.status}</span>
      </h2>
      <dl className="facts">
        {(
          [
            ['Kind', report.kind],
            ['Rows', amount(report.rows)],
            ['Valid', amount(report.valid)],
            ['Invalid', amount(report.invalid)],
            ['Duplicates removed', amount(report.duplicates)],
            ['Validated in', duration(report.took_ms)],
            ['Uploaded', `${time(report.created_at)} by ${report.created_by_name}`],
          ] as const
        ).map(([k, v]) => (
          <div key={k} data-testid={`fact-${k.split(' ')[0].toLowerCase()}`}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {report.error && <p className="error">{report.error}</p>}
      <AppliedLinks report={report} />
      <div className="actions">
        <button type="button" className="ghost" onClick={download} data-testid="import-download">
          Download report (CSV)
        </button>
        {canWrite && report.status === 'validated' && report.valid > 0 && (
          <button type="button" className="primary" onClick={() => setConfirming(true)}>
            Apply {amount(report.valid)} valid rows
          </button>
        )}
      </div>
      {report.errors.length > 0 ? (
        <div className="grid">
          <table aria-label="Problems" data-testid="import-errors">
            <thead>
              <tr>
                <th>Row</th>
                <th>Column</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.row}</td>
                  <td>
                    <code>{e.column}</code>
                  </td>
                  <td>{e.problem}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.error_count > report.errors.length && (
            <p className="hint">
              The first {amount(report.errors.length)} of {amount(report.error_count)} problems; the CSV has them all.
            </p>
          )}
        </div>
      ) : (
        <p>No problems found.</p>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Apply ${amount(report.valid)} rows of ${report.filename}?`}
          confirmLabel="Apply"
          busy={apply.pending}
          onConfirm={() => apply.run({})}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {report.kind === 'products'
              ? 'A job creates or updates each product; players see the changes at once.'
              : 'Drafts one operation per tag and action (tags) or per currency (grants); nothing changes for players until you preview, shadow and apply them on the Operations page.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
