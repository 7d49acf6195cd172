import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The kinds of authored live-ops content. */
export const CONTENT_KINDS = ['event', 'mission'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

/** A definition an operator's edit replaced: the event or mission as it was at `version`, kept for the revisions list. */
export const ContentRevision = defineEntity({
  name: 'ContentRevision',
  tableName: 'content_revisions',
  uniques: [{ name: 'content_revisions_version_unique', properties: ['kind', 'contentId', 'version'] }],
  properties: {
    id: p.uuid().primary(),
    kind: p.enum([...CONTENT_KINDS]),
    contentId: p.uuid(),
    version: p.integer(),
    /** the whole definition (wire form) of that version */
    definition: p.json<Record<string, unknown>>(),
    editedBy: p.uuid().nullable(),
    editedByName: p.string().length(20).nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export type IContentRevision = InferEntity<typeof ContentRevision>;
