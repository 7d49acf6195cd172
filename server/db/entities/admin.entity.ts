import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AUDIT_RESULTS = ['ok', 'denied', 'failed'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/**
 * The admin audit trail: every admin write and every denied attempt. Append-only: a trigger (migration) refuses
 * UPDATE, DELETE and TRUNCATE.
 */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  indexes: [
    { name: 'audit_log_at_idx', properties: ['at', 'seq'] },
    { name: 'audit_log_actor_idx', properties: ['actorId', 'at'] },
    { name: 'audit_log_target_idx', properties: ['targetId', 'at'] },
    { name: 'audit_log_action_idx', properties: ['action', 'at'] },
  ],
  properties: {
    id: p.uuid().primary(),
    at: p.datetime().onCreate(() => new Date()),
    /** the order rows were written in (an identity): breaks ties between entries of the same millisecond */
    seq: p.bigint('string').generated('always as identity'),
    actorId: p.uuid().nullable(),
    actorName: p.string().length(20).nullable(),
    actorRole: p.string().length(16).nullable(),
    /** what was done or attempted, `area.verb` (e.g. `player.note.add`), or the operationId of a denied request */
    action: p.string().length(80),
    targetType: p.string().length(40).nullable(),
    targetId: p.string().length(80).nullable(),
    before: p.json<unknown>().nullable(),
    after: p.json<unknown>().nullable(),
    result: p.enum([...AUDIT_RESULTS]),
    /** the error code of a denied or failed attempt */
    error: p.string().length(64).nullable(),
    requestId: p.string().length(128).nullable(),
    idempotencyKey: p.string().length(128).nullable(),
    /** the background job that made the change, when one did */
    jobId: p.string().length(128).nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(255).nullable(),
  },
});

/**
 * An admin write's Idempotency-Key, per operator: the request's fingerprint, `running` while the first request is being
 * processed, then its stored response (status and body).
 */
export const AdminIdempotencyKey = defineEntity({
  name: 'AdminIdempotencyKey',
  tableName: 'admin_idempotency_keys',
  properties: {
    actorId: p.uuid().primary(),
    key: p.string().length(128).primary(),
    fingerprint: p.string().length(64),
    status: p.enum(['running', 'done']),
    responseStatus: p.integer().nullable(),
    /** the response body as JSON text (a replay answers the same bytes) */
    responseBody: p.text().nullable(),
    startedAt: p.datetime(),
    completedAt: p.datetime().nullable(),
  },
});

/** Console-wide switches operators flip at run time (read at each request), e.g. `writes_enabled`. */
export const AdminSetting = defineEntity({
  name: 'AdminSetting',
  tableName: 'admin_settings',
  properties: {
    key: p.string().length(64).primary(),
    value: p.json<unknown>(),
    updatedAt: p.datetime(),
    updatedBy: p.uuid().nullable(),
  },
});

/** An operator's note on a player. */
export const PlayerNote = defineEntity({
  name: 'PlayerNote',
  tableName: 'player_notes',
  indexes: [{ name: 'player_notes_player_idx', properties: ['playerId', 'createdAt', 'id'] }],
  properties: {
    id: p.uuid().primary(),
    playerId: p.uuid(),
    authorId: p.uuid(),
    authorName: p.string().length(20),
    text: p.string().length(2000),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type IAuditLog = InferEntity<typeof AuditLog>;
export type IPlayerNote = InferEntity<typeof PlayerNote>;
