import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { parseSegmentRule, type SegmentRule } from '../../../../domain/admin/segments.ts';
import type { Clock } from '../../../../domain/shared/clock.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { segments, type SegmentRecord, type SegmentSampleRow } from '../../../db/repositories/segments.repository.ts';
import type { Actor } from '../audit.service.ts';
import { decodeCursor, pageOf, type Page } from '../keyset.ts';
import { compileSegment, membersSql } from './compile.ts';

export type { SegmentRecord, SegmentSampleRow };

/** Players in a preview's sample. */
export const SAMPLE_SIZE = 20;

/** What a preview answers: how many players the rule selects, a sample of them, and how long it took. */
export interface SegmentPreview {
  count: number;
  sample: SegmentSampleRow[];
  tookMs: number;
}

/** A segment's editable fields (the rule already validated). */
export interface SegmentInput {
  name: string;
  description: string;
  rule: SegmentRule;
}

/** Who an operation or a notification targets: a saved segment, or a rule given inline. */
export type SegmentTarget = { segment_id: string } | { rule: unknown };

/** Saved segments, and what a rule selects: previews, and the member fingerprint an operation's plan is checked against. */
export class SegmentsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
    private readonly opts: { previewTimeoutMs: number },
  ) {}

  /** A segment; 404 `resource/not_found` when there is none with this id. */
  async get(id: string, em: EntityManager = this.em()): Promise<SegmentRecord> {
    const row = await segments.find(em, id);
    if (!row) throw notFound();
    return row;
  }

  /** The rule of a target: the saved segment's (404 when unknown), or the inline rule (400 naming the bad field). */
  async resolveRule(target: SegmentTarget, em: EntityManager = this.em()): Promise<SegmentRule> {
    if ('segment_id' in target) return parseSegmentRule((await this.get(target.segment_id, em)).rule);
    return parseSegmentRule(target.rule);
  }

  /** How many players `rule` selects now and a sample of SAMPLE_SIZE, most recently seen first. */
  async preview(rule: SegmentRule): Promise<SegmentPreview> {
    const started = performance.now();
    const compiled = compileSegment(rule, this.clock.now());
    return this.em().transactional(async (em) => {
      await em.execute(`set local statement_timeout = ${Math.trunc(this.opts.previewTimeoutMs)}`);
      const { count, sample } = await segments.preview(em, compiled, SAMPLE_SIZE);
      return { count, sample, tookMs: Math.round(performance.now() - started) };
    });
  }

  /** The members of `rule` now, as a count and a hash over their sorted ids (one query, in the caller's transaction). */
  async fingerprint(em: EntityManager, rule: SegmentRule): Promise<{ count: number; hash: string }> {
    return segments.fingerprint(em, membersSql(rule, this.clock.now()));
  }

  /** A page of segments, most recently updated first, from `cursor` (the previous page's `nextCursor`). */
  async list(cursor: string | undefined, limit: number): Promise<Page<SegmentRecord>> {
    const after = decodeCursor(cursor, { value: 'timestamp', id: 'uuid' });
    const rows = await segments.list(this.em(), after, limit + 1);
    return pageOf(rows, limit, (s) => ({ value: s.updatedAt.toISOString(), id: s.id }));
  }

  /** Saves a new segment (in the admin write's transaction); 409 `segment/name_taken` when the name is in use. */
  async create(em: EntityManager, author: Actor, input: SegmentInput): Promise<SegmentRecord> {
    const now = this.clock.now();
    const row = await segments.insert(em, {
      ...input,
      createdBy: author.id,
      createdByName: author.username,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw nameTaken(input.name);
    return row;
  }

  /**
   * Edits a segment; `ifMatch` (the version the operator saw), when given, must still be current (409
   * `segment/stale_version`). Returns the segment before and after.
   */
  async update(
    em: EntityManager,
    id: string,
    input: SegmentInput,
    ifMatch: number | null,
  ): Promise<{ before: SegmentRecord; after: SegmentRecord }> {
    const before = await segments.find(em, id, true);
    if (!before) throw notFound();
    if (ifMatch !== null && ifMatch !== before.version) {
      throw new DomainError('segment/stale_version', `The segment changed meanwhile (version ${before.version}, you saw ${ifMatch}).`, {
        current_version: before.version,
      });
    }
    if (await segments.nameTaken(em, input.name, id)) throw nameTaken(input.name);
    return { before, after: await segments.update(em, id, { ...input, updatedAt: this.clock.now() }) };
  }

  /** Deletes a segment; returns it as it was (404 when there is none). */
  async delete(em: EntityManager, id: string): Promise<SegmentRecord> {
    const row = await segments.delete(em, id);
    if (!row) throw notFound();
    return row;
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}

function notFound() {
  return new DomainError('resource/not_found', 'No segment has this id.');
}

function nameTaken(name: string) {
  return new DomainError('segment/name_taken', `A segment named "${name}" already exists.`);
}
