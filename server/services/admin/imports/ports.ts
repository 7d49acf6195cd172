import type { EntityManager } from '@mikro-orm/postgresql';

/** A player of an operation's list target, with a per-player amount (grants). */
export interface ListedPlayer {
  user_id: string;
  amount?: number;
}

/** The operations service, as imports use it: a draft on a list of players, in the caller's transaction. */
export interface ImportOperations {
  createDraft(
    em: EntityManager,
    actor: { id: string; username: string },
    input: {
      kind: 'tag_add' | 'tag_remove' | 'grant_currency';
      params: Record<string, unknown>;
      target: { type: 'list'; players: ListedPlayer[] };
    },
  ): Promise<{ operation: { id: string } }>;
}
