import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../../../../domain/shared/clock.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import type { ContentKind, IContentRevision } from '../../../db/entities/content.entity.ts';
import {
  adminContent,
  contentStatus,
  type ContentFields,
  type ContentRow,
  type ContentStatus,
} from '../../../db/repositories/admin-content.repository.ts';
import { decodeCursor, pageOf, type Page } from '../keyset.ts';
import type { SegmentRule } from '../../../../domain/admin/segments.ts';
import { qualifyRule, qualifyWindow, type QualifyResult, type QualifySample } from './qualifies.ts';

/** What "who qualifies now" needs of the segment engine: a rule's member count and a sample. */
export interface SegmentPreviewer {
  preview(rule: SegmentRule): Promise<{ count: number; sample: QualifySample[] }>;
}

/** A change of an event or a mission as the audit log records it. */
export interface ContentChange {
  kind: ContentKind;
  before: ContentRow | null;
  after: ContentRow;
  changed: boolean;
}

/** Who makes a change (kept on the revision it creates). */
export interface ContentEditor {
  id: string;
  username: string;
}

/** How many revisions the revisions list returns at most (newest first). */
export const REVISIONS_LIMIT = 100;

/**
 * Events and missions as operators author them. Every change happens in the caller's transaction (the admin write
 * that audits it), under optimistic concurrency (`If-Match`: the version the operator saw), and keeps the definition it
 * replaced in `content_revisions`. An edit keeps the row's id, so the players' participations and mission rows, and
 * their progress, stay; the live-ops loop reads the new condition and reward within its definitions' cache time.
 * Conditions and rewards arrive already validated by the live-ops zod schemas (the request bodies use them).
 */
export class ContentAdminService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly segments: SegmentPreviewer,
  ) {}

  /** The time the statuses are computed at. */
  now(): Date {
    return this.clock.now();
  }

  /** A page of a kind's rows (unpublished too) by rank then id, of one status when given. */
  async list(kind: ContentKind, opts: { cursor?: string; limit: number; status?: ContentStatus }): Promise<Page<ContentRow>> {
    const after = decodeCursor(opts.cursor, { value: 'int', id: 'uuid' });
    const rows = await adminContent.page(this.em(), kind, { after, limit: opts.limit, status: opts.status, now: this.clock.now() });
    return pageOf(rows, opts.limit, (r) => ({ value: String(r.rank), id: r.id }));
  }

  async get(kind: ContentKind, id: string): Promise<ContentRow> {
    const row = await adminContent.byId(this.em(), kind, id);
    if (!row) throw notFound(kind, id);
    return row;
  }

  /** Adds an event or a mission (unpublished unless `active` is given true). */
  async create(em: EntityManager, kind: ContentKind, input: ContentFields): Promise<ContentChange> {
    checkSchedule(input, null);
    const after = await adminContent.insert(em, kind, randomUUID(), { ...input, active: input.active ?? false });
    if (!after) throw codeTaken(input.code);
    return { kind, before: null, after, changed: true };
  }

  /** Edits a row in place (same id: progress stays); the replaced definition becomes a revision. */
  async update(
    em: EntityManager,
    kind: ContentKind,
    id: string,
    patch: ContentFields,
    ifMatch: number | null,
    editor: ContentEditor,
  ): Promise<ContentChange> {
    const before = await this.lockCurrent(em, kind, id, ifMatch);
    checkSchedule(patch, before);
    if (contentStatus(before, this.clock.now()) === 'live') checkLiveChange(kind, patch, before);
    if (Object.values(patch).every((v) => v === undefined)) return { kind, before, after: before, changed: false };
    await adminContent.addRevision(em, {
      id: randomUUID(),
      kind,
      contentId: id,
      version: before.version,
      definition: definitionOf(kind, before),
      editedBy: editor.id,
      editedByName: editor.username,
    });
    const after = await adminContent.update(em, kind, id, patch);
    if (!after) throw codeTaken(patch.code);
    return { kind, before, after, changed: true };
  }

  /** Publishes or unpublishes (the `active` flag); a row already in that state is left as it is (`changed` false). */
  async setActive(
    em: EntityManager,
    kind: ContentKind,
    id: string,
    active: boolean,
    ifMatch: number | null,
    editor: ContentEditor,
  ): Promise<ContentChange> {
    const before = await this.lockCurrent(em, kind, id, ifMatch);
    if (before.active === active) return { kind, before, after: before, changed: false };
    return this.update(em, kind, id, { active }, before.version, editor);
  }

  /** The definitions a row's edits replaced, newest first. */
  async revisions(kind: ContentKind, id: string): Promise<IContentRevision[]> {
    await this.get(kind, id);
    return adminContent.revisions(this.em(), kind, id, REVISIONS_LIMIT);
  }

  /**
   * Who qualifies now: the players whose play in the current period's window (qualifyWindow) already reaches the
   * condition's target, counted and sampled by the segment engine. An event counts play whether or not they joined it.
   */
  async qualifies(kind: ContentKind, id: string): Promise<QualifyResult> {
    const row = await this.get(kind, id);
    const window = qualifyWindow(kind, row, this.clock.now());
    if (window.to <= window.from) return { count: 0, sample: [], window };
    const { count, sample } = await this.segments.preview(qualifyRule(row.condition, window));
    return { count, sample, window };
  }

  private async lockCurrent(em: EntityManager, kind: ContentKind, id: string, ifMatch: number | null): Promise<ContentRow> {
    const row = await adminContent.byId(em, kind, id, { lock: true });
    if (!row) throw notFound(kind, id);
    if (ifMatch !== null && ifMatch !== row.version) {
      throw new DomainError('resource/version_conflict', `The ${kind} changed meanwhile (version ${row.version}, you saw ${ifMatch}).`, {
        current_version: row.version,
      });
    }
    return row;
  }

  private em() {
    return this.orm.em.fork() as EntityManager;
  }
}

/** The definition a revision keeps: what an operator edits, snake_case as on the wire. */
export function definitionOf(kind: ContentKind, row: ContentRow): Record<string, unknown> {
  return {
    code: row.code,
    name: row.name,
    ...(kind === 'event' ? { description: row.description, type: row.type } : { period: row.type }),
    condition: row.condition,
    reward: row.reward,
    starts_at: row.startsAt?.toISOString() ?? null,
    ends_at: row.endsAt?.toISOString() ?? null,
    active: row.active,
    rank: row.rank,
  };
}

/** A schedule must end after it starts (the fields given, else the row's current ones). */
function checkSchedule(input: ContentFields, before: ContentRow | null): void {
  const starts = input.startsAt !== undefined ? input.startsAt : (before?.startsAt ?? null);
  const ends = input.endsAt !== undefined ? input.endsAt : (before?.endsAt ?? null);
  if (starts && ends && ends <= starts) {
    throw new DomainError('request/invalid', 'Invalid request body: body.ends_at must be after starts_at.', {
      issues: [{ path: 'body.ends_at', message: 'must be after starts_at', code: 'custom' }],
    });
  }
}

/**
 * A live one keeps its players' progress rows, so what they count must stay: its type or period (the progress period)
 * and its condition's metric and game. The target, reward, names and schedule may change.
 */
function checkLiveChange(kind: ContentKind, patch: ContentFields, before: ContentRow): void {
  const field =
    patch.type !== undefined && patch.type !== before.type
      ? kind === 'event'
        ? 'type'
        : 'period'
      : patch.condition && patch.condition.metric !== before.condition.metric
        ? 'condition.metric'
        : patch.condition && patch.condition.game !== before.condition.game
          ? 'condition.game'
          : null;
  if (field) {
    throw new DomainError(
      'content/live_change_refused',
      `A live ${kind}'s ${field} cannot change: players' progress counts it. Create a new ${kind} instead.`,
      {
        field: `body.${field}`,
      },
    );
  }
}

function codeTaken(code: string | undefined): DomainError {
  return new DomainError('request/invalid', `Invalid request body: body.code "${code}" is taken.`, {
    issues: [{ path: 'body.code', message: 'taken by another one', code: 'custom' }],
  });
}

function notFound(kind: ContentKind, id: string): DomainError {
  return new DomainError('resource/not_found', `No ${kind} ${id}.`);
}
