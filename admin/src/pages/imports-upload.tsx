// The upload step of an import: kind, file (parsed here with papaparse), the column mapping (auto-matched, editable),
// the first rows as they will be sent, then Validate: the server checks every row again and answers its report.
import { useState } from 'react';
import { IMPORT_COLUMNS, IMPORT_KINDS, MAX_IMPORT_ROWS, type ImportKind } from '../../../domain/admin/imports.ts';
import { ApiError } from '../api/client.ts';
import type { ImportReport } from '../api/types.ts';
import { useAdminWrite } from '../api/useAdminWrite.ts';
import { useToast } from '../components/Toasts.tsx';
import { amount } from './format.ts';
import { autoMap, mapRows, parseCsv, type Mapping, type ParsedCsv } from './imports-mapping.ts';

const PREVIEW_ROWS = 10;
const KIND_LABELS: Record<ImportKind, string> = { player_tags: 'Player tags', grants: 'Grants', products: 'Products' };

/** Kind, file, mapping, preview and Validate; `onReport` receives the server's validation report. */
export function UploadPanel({ onReport }: { onReport: (report: ImportReport) => void }) {
  const notify = useToast();
  const [kind, setKind] = useState<ImportKind>('player_tags');
  const [csv, setCsv] = useState<ParsedCsv>();
  const [mapping, setMapping] = useState<Mapping>({});
  const send = useAdminWrite<{ kind: ImportKind; filename: string; rows: Array<Record<string, string>> }, ImportReport>(
    'POST',
    '/api/admin/imports',
    {
      invalidates: [['admin', 'imports']],
      onSuccess: (report) => onReport(report),
      onError: (err) => notify('error', err instanceof ApiError ? err.message : 'The upload failed.'),
    },
  );

  const choose = (next: ImportKind) => {
    setKind(next);
    if (csv) setMapping(autoMap(next, csv.headers));
  };
  const pick = async (file: File | undefined) => {
    if (!file) return;
    const parsed = await parseCsv(file);
    setCsv(parsed);
    setMapping(autoMap(kind, parsed.headers));
  };
  const mapped = csv ? mapRows(csv.rows.slice(0, PREVIEW_ROWS), mapping) : [];
  const columns = IMPORT_COLUMNS[kind].filter((c) => mapping[c]);
  const tooMany = (csv?.rows.length ?? 0) > MAX_IMPORT_ROWS;

  return (
    <section className="import-upload" aria-label="New import">
      <div className="filters">
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(e) => choose(e.target.value as ImportKind)} data-testid="import-kind">
            {IMPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>CSV file (first row: column names)</span>
          <input type="file" accept=".csv,text/csv" data-testid="import-file" onChange={(e) => void pick(e.target.files?.[0])} />
        </label>
      </div>
      <p className="hint">
        Columns: <code>{IMPORT_COLUMNS[kind].join(', ')}</code>
      </p>
      {csv && (
        <>
          <p data-testid="import-parsed">
            {csv.filename}: {amount(csv.rows.length)} rows, {csv.headers.length} columns
            {csv.parseErrors.length > 0 && ` · ${csv.parseErrors.length} lines papaparse could not read (${csv.parseErrors[0]})`}
          </p>
          <fieldset className="mapping">
            <legend>Column mapping</legend>
            {IMPORT_COLUMNS[kind].map((column) => (
              <label className="field" key={column}>
                <span>{column}</span>
                <select
                  aria-label={`Column ${column}`}
                  data-testid={`map-${column}`}
                  value={mapping[column] ?? ''}
                  onChange={(e) => setMapping({ ...mapping, [column]: e.target.value })}
                >
                  <option value="">— not mapped —</option>
                  {csv.headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </fieldset>
          <div className="grid">
            <table aria-label="First rows as sent" data-testid="import-preview">
              <thead>
                <tr>
                  <th>Row</th>
                  {columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {mapped.map((r, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    {columns.map((c) => (
                      <td key={c}>{r[c]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {tooMany && <p className="error">An import holds at most {amount(MAX_IMPORT_ROWS)} rows: split the file.</p>}
          <button
            type="button"
            className="primary"
            disabled={send.pending || tooMany || csv.rows.length === 0 || columns.length === 0}
            onClick={() => send.run({ kind, filename: csv.filename, rows: mapRows(csv.rows, mapping) })}
          >
            {send.pending ? 'Validating…' : `Validate ${amount(csv.rows.length)} rows`}
          </button>
        </>
      )}
    </section>
  );
}
