import type { EntityMetadata, EntityName, EntitySchema } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromJson, type WritePart } from './sql.ts';

/** One column of an entity's table, as MikroORM's metadata declares it (the entity is the only declaration of a table). */
interface Column {
  prop: string;
  field: string;
  /** the column's SQL type, usable in a `json_to_recordset` column definition list */
  sqlType: string;
  runtimeType: string;
}

const cache = new WeakMap<EntityMetadata, Column[]>();

/** The columns of an entity's table, in declaration order, from the ORM's discovered metadata. */
export function columnsOf(em: EntityManager, entity: EntitySchema<any, any>): Column[] {
  const meta = em.getMetadata().get(entity);
  let cols = cache.get(meta);
  if (!cols) {
    cols = meta.props
      .filter((p) => p.fieldNames?.length === 1)
      .map((p) => ({
        prop: p.name,
        field: p.fieldNames[0],
        sqlType: (p.columnTypes?.[0] ?? '').replace(/^bigserial$/, 'bigint').replace(/^serial$/, 'int'),
        runtimeType: p.runtimeType,
      }));
    cache.set(meta, cols);
  }
  return cols;
}

/** `user_id, currency, …`: the entity's column names for a select list or a RETURNING clause. */
export function columnList(em: EntityManager, entity: EntitySchema<any, any>, opts: { omit?: string[]; only?: string[] } = {}): string {
  return columnsOf(em, entity)
    .filter((c) => !opts.omit?.includes(c.prop) && (!opts.only || opts.only.includes(c.prop)))
    .map((c) => c.field)
    .join(', ');
}

/**
 * `grant_key, source, …`: the columns of the given properties, in the given order (an INSERT's column list, or a select
 * list), optionally prefixed by a table alias. Throws on a property the entity does not declare. `timesAsText` (a select
 * list only) selects each timestamp column as `col::text as col`: the same text the driver gives, also through JSON
 * (see `ReadPart`).
 */
export function fieldList<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  properties: readonly (keyof T & string)[],
  alias?: string,
  opts: { timesAsText?: boolean } = {},
): string {
  const columns = columnsOf(em, entity as EntitySchema<any, any>);
  return properties
    .map((p) => {
      const column = columns.find((c) => c.prop === p);
      if (!column) throw new Error(`${String((entity as { name?: string }).name ?? entity)} has no column property ${p}.`);
      const name = alias ? `${alias}.${column.field}` : column.field;
      return opts.timesAsText && column.runtimeType === 'Date' ? `${name}::text as ${column.field}` : name;
    })
    .join(', ');
}

/** A raw row (column names, driver types) as the entity's properties: bigints as numbers, json parsed, timestamps as Dates. */
export function fromRow<T>(em: EntityManager, entity: EntitySchema<any, any>, raw: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const c of readersOf(em, entity)) {
    const v = raw[c.field];
    if (v === undefined && !(c.field in raw)) continue;
    out[c.prop] = v === null || v === undefined ? null : c.read(v);
  }
  return out as T;
}

interface Reader {
  prop: string;
  field: string;
  read: (v: unknown) => unknown;
}

const readers = new WeakMap<EntityMetadata, Reader[]>();
const asIs = (v: unknown) => v;

/** Per column, the conversion from the driver's value to the property's (decided once per entity, not per row). */
function readersOf(em: EntityManager, entity: EntitySchema<any, any>): Reader[] {
  const meta = em.getMetadata().get(entity);
  let list = readers.get(meta);
  if (!list) {
    list = columnsOf(em, entity).map((c) => ({
      prop: c.prop,
      field: c.field,
      read:
        c.runtimeType === 'number'
          ? Number
          : c.runtimeType === 'Date'
            ? (v: unknown) => new Date(v as string | Date)
            : c.sqlType === 'jsonb' || c.sqlType === 'json'
              ? fromJson
              : asIs,
    }));
    readers.set(meta, list);
  }
  return list;
}

/** A value computed by SQL instead of taken from the rows (e.g. `now()`, a CTE's column, a bound parameter). */
export interface SqlValue {
  sql: string;
  params?: unknown[];
}

/**
 * `INSERT … SELECT` of many rows in one statement, the rows passed as one JSON parameter (`json_to_recordset`). The
 * column list and types come from the entity: the rows are keyed by property name; `values` gives the columns
 * computed in SQL; properties in neither (autoincrement ids, defaults) are left to the database. Rows get their ids
 * in the given order. `from` joins further relations (e.g. a CTE `w` that `values` refers to).
 */
export function insertRows(
  em: EntityManager,
  entity: EntitySchema<any, any>,
  rows: Array<Record<string, unknown>>,
  opts: { values?: Record<string, SqlValue>; from?: string; returning?: boolean } = {},
): WritePart {
  const values = opts.values ?? {};
  const plan = insertPlan(em, entity, rows, values, opts);
  const json = rows.map((r, seq) => {
    const o: Record<string, unknown> = { seq };
    for (const c of plan.fromRows) o[c.field] = r[c.prop] ?? null;
    return o;
  });
  const params: unknown[] = [];
  for (const c of plan.cols) if (c.prop in values) params.push(...(values[c.prop].params ?? []));
  params.push(JSON.stringify(json));
  return { sql: plan.sql, params, returning: opts.returning };
}

interface InsertPlan {
  sql: string;
  cols: Column[];
  fromRows: Column[];
}

const plans = new WeakMap<EntityMetadata, Map<string, InsertPlan>>();

/** The statement text and column split of an `insertRows` call, built once per entity and shape (the hot paths repeat a few). */
function insertPlan(
  em: EntityManager,
  entity: EntitySchema<any, any>,
  rows: Array<Record<string, unknown>>,
  values: Record<string, SqlValue>,
  opts: { from?: string; returning?: boolean },
): InsertPlan {
  const given = new Set<string>();
  for (const r of rows) for (const k in r) given.add(k);
  const valueSql = Object.entries(values).map(([k, v]) => `${k}=${v.sql}`);
  const shape = `${[...given].join(',')}|${valueSql.join(',')}|${opts.from ?? ''}|${opts.returning ? 1 : 0}`;
  const meta = em.getMetadata().get(entity);
  let byShape = plans.get(meta);
  if (!byShape) plans.set(meta, (byShape = new Map()));
  let plan = byShape.get(shape);
  if (!plan) {
    const cols = columnsOf(em, entity).filter((c) => c.prop in values || given.has(c.prop));
    const fromRows = cols.filter((c) => !(c.prop in values));
    const select = cols.map((c) => (c.prop in values ? values[c.prop].sql : `v.${c.field}`));
    const definition = ['seq int', ...fromRows.map((c) => `${c.field} ${c.sqlType}`)].join(', ');
    const sql =
      `insert into ${tableOf(em, entity)} (${cols.map((c) => c.field).join(', ')})\n` +
      `select ${select.join(', ')} from json_to_recordset(?::json) as v(${definition})${opts.from ? `, ${opts.from}` : ''} order by v.seq` +
      (opts.returning ? `\nreturning ${columnList(em, entity)}` : '');
    plan = { sql, cols, fromRows };
    // bounded: the shapes come from code, not from input, but a caller building keys dynamically must not grow it forever
    if (byShape.size < 256) byShape.set(shape, plan);
  }
  return plan;
}

/** The entity's table name. */
export function tableOf(em: EntityManager, entity: EntitySchema<any, any>): string {
  return em.getMetadata().get(entity).tableName;
}
