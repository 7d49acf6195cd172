import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toUsernameKey } from '../../../../domain/auth/credentials.ts';
import type { SegmentRule } from '../../../../domain/admin/segments.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';
import { segmentMembers } from '../../../db/repositories/operation-players.repository.ts';
import { operations } from '../../../db/repositories/operations.repository.ts';
import { membersSql } from '../segments/compile.ts';
import type { SegmentsService } from '../segments/segments.service.ts';

/** Who an operation acts on, as stored: a saved segment (its members when each step runs) or a fixed list of players. */
export type OperationTarget =
  { type: 'segment'; segment_id: string } | { type: 'list'; players: Array<{ user_id: string; amount?: number }> };

/** A list target as an operator gives it: each player by id or username, with an amount of their own or not. */
export type TargetRequest =
  { type: 'segment'; segment_id: string } | { type: 'list'; players: Array<{ user_id?: string; username?: string; amount?: number }> };

/** A membership fingerprint: how many players and a hash over their sorted ids. */
export interface Plan {
  count: number;
  hash: string;
}

/** Resolves and reads operation targets: who they hold now, as SQL for job items, and their fingerprint. */
export class OperationTargets {
  constructor(
    private readonly segments: SegmentsService,
    private readonly now: () => Date,
  ) {}

  /** Checks a requested target and stores list players by id (usernames resolved, duplicates dropped); 400 naming unknown ones. */
  async resolve(em: EntityManager, t: TargetRequest): Promise<{ target: OperationTarget; duplicates: number }> {
    if (t.type === 'segment') {
      await this.ruleOf(t.segment_id, em);
      return { target: t, duplicates: 0 };
    }
    const ids = t.players.flatMap((p) => (p.user_id ? [p.user_id.toLowerCase()] : []));
    const keys = t.players.flatMap((p) => (p.username ? [toUsernameKey(p.username)] : []));
    const found = await operations.findPlayers(em, ids, keys);
    const byId = new Set(found.map((f) => f.id));
    const byKey = new Map(found.map((f) => [f.usernameKey, f.id]));
    const players: Array<{ user_id: string; amount?: number }> = [];
    const seen = new Set<string>();
    const unknown: string[] = [];
    for (const p of t.players) {
      const id = p.user_id
        ? byId.has(p.user_id.toLowerCase())
          ? p.user_id.toLowerCase()
          : undefined
        : byKey.get(toUsernameKey(p.username ?? ''));
      if (!id) unknown.push(p.user_id ?? p.username ?? '');
      else if (!seen.has(id)) {
        seen.add(id);
        players.push(p.amount === undefined ? { user_id: id } : { user_id: id, amount: p.amount });
      }
    }
    if (unknown.length > 0) {
      const message = `names no player: ${unknown.slice(0, 20).join(', ')}${unknown.length > 20 ? ` and ${unknown.length - 20} more` : ''}`;
      throw new DomainError('request/invalid', `The target list ${message}.`, {
        issues: [{ path: 'body.target.players', message, code: 'custom' }],
        unknown: unknown.slice(0, 100),
      });
    }
    return { target: { type: 'list', players }, duplicates: t.players.length - players.length - unknown.length };
  }

  /** The players the target holds now and the total of their own amounts (a segment's members have none). */
  async count(em: EntityManager, t: OperationTarget, amount: number | null): Promise<{ count: number; amount: number }> {
    if (t.type === 'list') return operations.listTotals(em, t.players, amount);
    const count = await segmentMembers.count(em, await this.members(t));
    return { count, amount: count * (amount ?? 0) };
  }

  /** Up to `limit` players of the target with their own amount (null when they have none). */
  async sample(em: EntityManager, t: OperationTarget, limit: number): Promise<Array<{ userId: string; amount: number | null }>> {
    if (t.type === 'list') return operations.listSample(em, t.players, limit);
    return (await segmentMembers.sample(em, await this.members(t), limit)).map((userId) => ({ userId, amount: null }));
  }

  /** The select of the target's job items (`user_id`, `payload`), for the job runtime's `insert … select`. */
  async itemsSql(t: OperationTarget): Promise<{ sql: string; params: unknown[] }> {
    return t.type === 'list' ? operations.listItemsSql(t.players) : segmentMembers.itemsSql(await this.members(t));
  }

  /** The fingerprint of the members now; a list's is over its players that still exist. */
  async fingerprint(em: EntityManager, t: OperationTarget): Promise<Plan> {
    if (t.type === 'segment') return this.segments.fingerprint(em, await this.ruleOf(t.segment_id, em));
    const ids = (await operations.listSample(em, t.players, t.players.length)).map((p) => p.userId).sort();
    return { count: ids.length, hash: createHash('sha256').update(ids.join(',')).digest('hex') };
  }

  private async members(t: { segment_id: string }) {
    return membersSql(await this.ruleOf(t.segment_id), this.now());
  }

  /** The saved segment's rule (404 `resource/not_found` when there is none). */
  private ruleOf(segmentId: string, em?: EntityManager): Promise<SegmentRule> {
    return this.segments.resolveRule({ segment_id: segmentId }, em);
  }
}
