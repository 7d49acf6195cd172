import type { EntityManager } from '@mikro-orm/postgresql';
import type { ImportKind } from '../../../db/entities/import.entity.ts';
import { importsTable } from '../../../db/repositories/imports.repository.ts';
import type { ImportRowParsers, PlayerRef, RawRow, RowParse, RowProblem, StoredRow } from './rows.ts';

/** What validating an upload found: the rows to keep, every problem, and the counts. */
export interface Validation {
  valid: StoredRow[];
  problems: RowProblem[];
  invalid: number;
  duplicates: number;
}

/**
 * Validates every row of an upload: each row by its kind's schema, then the players it names (usernames and ids
 * resolved in one query) or the products (which SKUs exist, one query), then duplicates. A row repeating an earlier
 * valid row's key is removed and counted when it is the same in every field; when it differs it is a problem naming
 * the earlier row. Keys: player + tag (tags), SKU (products), the whole row (grants: two different grants to the same
 * player and currency are both kept and add up).
 */
export async function validateRows(em: EntityManager, kind: ImportKind, raw: RawRow[], parsers: ImportRowParsers): Promise<Validation> {
  const problems: RowProblem[] = [];
  const bad = new Set<number>();
  const report = (row: number, list: Array<Omit<RowProblem, 'row'>>) => {
    bad.add(row);
    for (const p of list) problems.push({ row, ...p });
  };
  const candidates = kind === 'products' ? await productRows(em, raw, parsers, report) : await playerRows(em, kind, raw, parsers, report);

  const seen = new Map<string, { row: number; signature: string }>();
  const valid: StoredRow[] = [];
  let duplicates = 0;
  for (const c of candidates) {
    const signature = JSON.stringify(withoutRow(c));
    const key = keyOf(c) ?? signature;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, { row: c.row, signature });
      valid.push(c);
    } else if (first.signature === signature) duplicates++;
    else report(c.row, [conflict(c, first.row)]);
  }
  problems.sort((a, b) => a.row - b.row);
  return { valid, problems, invalid: bad.size, duplicates };
}

type Report = (row: number, problems: Array<Omit<RowProblem, 'row'>>) => void;

async function productRows(em: EntityManager, raw: RawRow[], parsers: ImportRowParsers, report: Report): Promise<StoredRow[]> {
  const existing = await importsTable.existingSkus(em, [...new Set(raw.map((r) => (r.sku ?? '').trim()).filter(Boolean))]);
  const out: StoredRow[] = [];
  raw.forEach((r, i) => {
    const parsed = parsers.products(r, existing.has((r.sku ?? '').trim()));
    if (!parsed.ok) report(i + 1, parsed.problems);
    else out.push({ row: i + 1, kind: 'products', ...parsed.value });
  });
  return out;
}

async function playerRows(
  em: EntityManager,
  kind: 'player_tags' | 'grants',
  raw: RawRow[],
  parsers: ImportRowParsers,
  report: Report,
): Promise<StoredRow[]> {
  const parsed: Array<RowParse<{ player: PlayerRef }>> = raw.map((r) => (kind === 'grants' ? parsers.grants(r) : parsers.player_tags(r)));
  const usernames = new Set<string>();
  const ids = new Set<string>();
  for (const p of parsed) {
    if (!p.ok) continue;
    if ('username' in p.value.player) usernames.add(p.value.player.username.toLowerCase());
    else ids.add(p.value.player.userId);
  }
  const players = await importsTable.resolvePlayers(em, [...usernames], [...ids]);
  const byKey = new Map<string, { id: string; username: string }>();
  for (const p of players) {
    byKey.set(`u:${p.username.toLowerCase()}`, p);
    byKey.set(`i:${p.id}`, p);
  }
  const out: StoredRow[] = [];
  parsed.forEach((p, i) => {
    const row = i + 1;
    if (!p.ok) return report(row, p.problems);
    const ref = p.value.player;
    const player = 'username' in ref ? byKey.get(`u:${ref.username.toLowerCase()}`) : byKey.get(`i:${ref.userId}`);
    if (!player) {
      return report(row, [
        'username' in ref
          ? { column: 'username', problem: 'no player has this username' }
          : { column: 'user_id', problem: 'no player has this id' },
      ]);
    }
    const { player: _ref, ...rest } = p.value as unknown as Record<string, unknown>;
    out.push({ row, kind, user_id: player.id, username: player.username, ...rest } as StoredRow);
  });
  return out;
}

/** What two rows must not share unless they are the same row; null = the whole row is the key (grants). */
function keyOf(r: StoredRow): string | null {
  if (r.kind === 'player_tags') return `${r.user_id}|${r.tag}`;
  if (r.kind === 'products') return r.sku;
  return null;
}

function withoutRow(r: StoredRow): Omit<StoredRow, 'row'> {
  const { row: _row, ...rest } = r;
  return rest;
}

function conflict(r: StoredRow, firstRow: number): Omit<RowProblem, 'row'> {
  if (r.kind === 'player_tags') return { column: 'action', problem: `the same player and tag as row ${firstRow} with another action` };
  return { column: 'sku', problem: `the same SKU as row ${firstRow} with other values` };
}
