// CSV → import rows in the browser: papaparse reads the file (header row first), each of the kind's columns is matched
// to a CSV header by name (editable), and the mapped rows are what the server validates again.
import Papa from 'papaparse';
import { IMPORT_COLUMNS, type ImportKind } from '../../../domain/admin/imports.ts';

/** A parsed CSV: its headers, its data rows (header → text), and papaparse's own problems (bad quoting, …). */
export interface ParsedCsv {
  filename: string;
  headers: string[];
  rows: Array<Record<string, string>>;
  parseErrors: string[];
}

/** For each column of the kind, the CSV header it takes its value from ('' = not mapped). */
export type Mapping = Record<string, string>;

/** Reads a CSV file with papaparse: the first row names the columns, empty lines are skipped. */
export function parseCsv(file: File): Promise<ParsedCsv> {
  return new Promise((resolve, reject) => {
    Papa.parse<Record<string, string>>(file, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: (h) => h.trim(),
      complete: (result) =>
        resolve({
          filename: file.name,
          headers: (result.meta.fields ?? []).filter(Boolean),
          rows: result.data,
          parseErrors: result.errors.map((e) => `row ${(e.row ?? 0) + 1}: ${e.message}`),
        }),
      error: reject,
    });
  });
}

/** Other names a CSV header may give a column. */
const ALIASES: Record<string, string[]> = {
  username: ['user', 'player', 'login', 'name_of_player'],
  user_id: ['id', 'player_id', 'userid'],
  sku: ['code', 'product_code'],
  amount: ['qty', 'value'],
  discount_pct: ['discount'],
};

const normalize = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** The kind's columns matched to headers by name (case and punctuation ignored, a few aliases). */
export function autoMap(kind: ImportKind, headers: string[]): Mapping {
  const byName = new Map(headers.map((h) => [normalize(h), h]));
  const mapping: Mapping = {};
  for (const column of IMPORT_COLUMNS[kind]) {
    const names = [column, ...(ALIASES[column] ?? [])];
    mapping[column] = names.map((n) => byName.get(n)).find((h) => h !== undefined) ?? '';
  }
  return mapping;
}

/** The rows as the server takes them: each mapped column's cell text. */
export function mapRows(rows: Array<Record<string, string>>, mapping: Mapping): Array<Record<string, string>> {
  const pairs = Object.entries(mapping).filter(([, header]) => header !== '');
  return rows.map((r) => Object.fromEntries(pairs.map(([column, header]) => [column, r[header] ?? ''])));
}
