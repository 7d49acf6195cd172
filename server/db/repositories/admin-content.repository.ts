import type { EntityManager } from '@mikro-orm/postgresql';
import type { Condition } from '../../../domain/liveops/conditions.ts';
import type { RewardBundle } from '../../../domain/liveops/rewards.ts';
import { ContentRevision, type ContentKind, type IContentRevision } from '../entities/content.entity.ts';
import { LiveEvent, Mission } from '../entities/liveops.entity.ts';
import { columnList, fieldList, fromRow } from '../entity-sql.ts';

/** Where an authored event or mission stands: not published, published but not started, running, or past its end. */
export const CONTENT_STATUSES = ['draft', 'scheduled', 'live', 'ended'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** An event or a mission as operators see it: every column, inactive ones too, with its version. */
export interface ContentRow {
  id: string;
  code: string;
  name: string;
  /** events only ('' for missions) */
  description: string;
  /** an event's type (daily/limited/progression) or a mission's period (daily/weekly/achievement) */
  type: string;
  condition: Condition;
  reward: RewardBundle;
  startsAt: Date | null;
  endsAt: Date | null;
  active: boolean;
  rank: number;
  createdAt: Date;
  version: number;
}

/** The fields an operator may set (a create sets the required ones; an edit any of them). */
export type ContentFields = Partial<Omit<ContentRow, 'id' | 'createdAt' | 'version'>>;

/** The table of each kind, and the property holding the event type or the mission period. */
const TABLES = {
  event: { entity: LiveEvent, table: 'events', typeProp: 'type' },
  mission: { entity: Mission, table: 'missions', typeProp: 'period' },
} as const;

const JSON_FIELDS = new Set(['condition', 'reward']);

/** A raw row of either table as a ContentRow. */
function toRow(em: EntityManager, kind: ContentKind, raw: Record<string, unknown>): ContentRow {
  const r = fromRow<Record<string, unknown>>(em, TABLES[kind].entity, raw);
  return {
    id: r.id as string,
    code: r.code as string,
    name: r.name as string,
    description: (r.description as string | undefined) ?? '',
    type: r[TABLES[kind].typeProp] as string,
    condition: r.condition as Condition,
    reward: r.reward as RewardBundle,
    startsAt: (r.startsAt as Date | null) ?? null,
    endsAt: (r.endsAt as Date | null) ?? null,
    active: r.active as boolean,
    rank: r.rank as number,
    createdAt: r.createdAt as Date,
    version: r.version as number,
  };
}

/** The set fields of `fields` as columns and parameters of the kind's table. */
function setFields(em: EntityManager, kind: ContentKind, fields: ContentFields) {
  const { entity, typeProp } = TABLES[kind];
  const entries = Object.entries(fields).filter(([k, v]) => v !== undefined && !(kind === 'mission' && k === 'description'));
  const props = entries.map(([k]) => (k === 'type' ? typeProp : k));
  const columns = props.length ? fieldList(em, entity as never, props as never[]).split(', ') : [];
  return { columns, params: entries.map(([k, v]) => (JSON_FIELDS.has(k) ? JSON.stringify(v) : v)) };
}

/** The SQL condition of a status at `now` (every parameter is `now`), as contentStatus decides it. */
const STATUS_SQL: Record<ContentStatus, string> = {
  ended: 'ends_at is not null and ends_at <= ?',
  draft: 'not active and (ends_at is null or ends_at > ?)',
  scheduled: 'active and starts_at > ? and (ends_at is null or ends_at > ?)',
  live: 'active and (starts_at is null or starts_at <= ?) and (ends_at is null or ends_at > ?)',
};

/** The status of a row at `now` (as STATUS_SQL filters it). */
export function contentStatus(row: Pick<ContentRow, 'active' | 'startsAt' | 'endsAt'>, now: Date): ContentStatus {
  if (row.endsAt && row.endsAt <= now) return 'ended';
  if (!row.active) return 'draft';
  if (row.startsAt && row.startsAt > now) return 'scheduled';
  return 'live';
}

/** The events and missions tables as the admin console reads and edits them, and their revisions. */
export const adminContent = {
  /** A kind's rows by rank then id, after the keyset `(rank, id)` when given, of one status when given; `limit + 1` rows. */
  async page(
    em: EntityManager,
    kind: ContentKind,
    opts: { after?: { value: string; id: string }; limit: number; status?: ContentStatus; now: Date },
  ): Promise<ContentRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.after) {
      where.push('(rank, id) > (?::int, ?::uuid)');
      params.push(opts.after.value, opts.after.id);
    }
    if (opts.status) {
      const sql = STATUS_SQL[opts.status];
      where.push(`(${sql})`);
      params.push(
        ...sql
          .split('?')
          .slice(1)
          .map(() => opts.now),
      );
    }
    const { entity, table } = TABLES[kind];
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${columnList(em, entity)} from ${table} ${where.length ? `where ${where.join(' and ')}` : ''} order by rank, id limit ?`,
      [...params, opts.limit + 1],
    );
    return rows.map((r) => toRow(em, kind, r));
  },

  async byId(em: EntityManager, kind: ContentKind, id: string, opts: { lock?: boolean } = {}): Promise<ContentRow | null> {
    const { entity, table } = TABLES[kind];
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select ${columnList(em, entity)} from ${table} where id = ?${opts.lock ? ' for update' : ''}`,
      [id],
    );
    return row ? toRow(em, kind, row) : null;
  },

  /** Adds a row at version 1; null when its code is taken (nothing written, the transaction stays usable). */
  async insert(em: EntityManager, kind: ContentKind, id: string, fields: ContentFields): Promise<ContentRow | null> {
    const { entity, table } = TABLES[kind];
    const { columns, params } = setFields(em, kind, fields);
    const [row] = await em.execute<Record<string, unknown>[]>(
      `insert into ${table} (id, ${columns.join(', ')}, created_at, version) values (?, ${columns.map(() => '?').join(', ')}, now(), 1)
       on conflict (code) do nothing returning ${columnList(em, entity)}`,
      [id, ...params],
    );
    return row ? toRow(em, kind, row) : null;
  },

  /** Writes `fields` and bumps the version (the row is locked by the caller); null when a new code is taken. */
  async update(em: EntityManager, kind: ContentKind, id: string, fields: ContentFields): Promise<ContentRow | null> {
    const { entity, table } = TABLES[kind];
    const { columns, params } = setFields(em, kind, fields);
    if (fields.code !== undefined) {
      const [taken] = await em.execute(`select 1 from ${table} where code = ? and id <> ?`, [fields.code, id]);
      if (taken) return null;
    }
    const [row] = await em.execute<Record<string, unknown>[]>(
      `update ${table} set ${[...columns.map((c) => `${c} = ?`), 'version = version + 1'].join(', ')} where id = ? returning ${columnList(em, entity)}`,
      [...params, id],
    );
    return toRow(em, kind, row);
  },

  /** Keeps a replaced definition (the version it had) as a revision. */
  async addRevision(em: EntityManager, r: Omit<IContentRevision, 'at'>): Promise<void> {
    await em.execute(
      `insert into content_revisions (${fieldList(em, ContentRevision, ['id', 'kind', 'contentId', 'version', 'definition', 'editedBy', 'editedByName'])}, at)
       values (?, ?, ?, ?, ?, ?, ?, now())`,
      [r.id, r.kind, r.contentId, r.version, JSON.stringify(r.definition), r.editedBy ?? null, r.editedByName ?? null],
    );
  },

  /** A row's revisions, newest version first (at most `limit`). */
  async revisions(em: EntityManager, kind: ContentKind, contentId: string, limit: number): Promise<IContentRevision[]> {
    const rows = await em.execute<Record<string, unknown>[]>(
      `select ${columnList(em, ContentRevision)} from content_revisions where kind = ? and content_id = ? order by version desc limit ?`,
      [kind, contentId, limit],
    );
    return rows.map((r) => fromRow<IContentRevision>(em, ContentRevision, r));
  },
};
