import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyRound, type PublishedRound, type Verification } from '../../../domain/fairness/verify.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import { findRoundRecord } from '../../db/repositories/game-round.repository.ts';

/** A crash round's chain data; the round hash only once the round is over. */
export interface CrashRecord {
  roundHash: string | null;
  chainPosition: number;
  salt: string;
  chainLength: number | null;
  terminatingHash: string | null;
  roundStatus: string;
}

/** A seeded round's seed data; the server seed only once revealed. */
export interface SeedRecord {
  serverSeedHash: string;
  serverSeed: string | null;
  clientSeed: string;
  nonce: number;
}

/** Everything a verifier needs for a finished round, and the server's own verification of it. */
export interface RoundRecord {
  roundId: string;
  game: string;
  status: string;
  currency: string;
  bet: number;
  payout: number;
  outcome: Record<string, any>;
  algorithmVersion: string | null;
  /** the times in PostgreSQL's text form */
  createdAt: string;
  settledAt: string | null;
  /** crash rounds */
  crash?: CrashRecord;
  /** seeded rounds: the seed, and the rest of the round's fairness data as recorded */
  seed?: SeedRecord;
  draw?: Record<string, any>;
  verification: Verification;
}

/** The round's record, verified from its published data alone (as a player's verifier would). */
export async function loadRoundRecord(em: EntityManager, roundId: string): Promise<RoundRecord> {
  const r = await findRoundRecord(em, roundId);
  if (!r) throw new DomainError('resource/not_found', 'No such round.');
  const fairness = (r.fairness ?? {}) as Record<string, any>;
  const record: Omit<RoundRecord, 'verification'> = {
    roundId: r.id,
    game: r.game,
    status: r.status,
    currency: r.currency,
    bet: Number(r.bet),
    payout: Number(r.payout),
    outcome: (r.outcome ?? {}) as Record<string, any>,
    algorithmVersion: fairness.version ?? null,
    createdAt: r.created_at,
    settledAt: r.settled_at,
  };
  if (r.game === 'crash') {
    const finished = r.crash_status === 'crashed' || r.crash_status === 'voided';
    record.crash = {
      roundHash: finished ? fairness.round_hash : null,
      chainPosition: fairness.position,
      salt: fairness.salt,
      chainLength: r.chain_length === null ? null : Number(r.chain_length),
      terminatingHash: r.terminating_hash,
      roundStatus: r.crash_status,
    };
  } else {
    record.seed = {
      serverSeedHash: fairness.server_seed_hash,
      serverSeed: r.revealed_at ? r.server_seed : null,
      clientSeed: fairness.client_seed,
      nonce: fairness.nonce,
    };
    record.draw = Object.fromEntries(Object.entries(fairness).filter(([k]) => !['server_seed_hash', 'client_seed', 'nonce'].includes(k)));
  }
  let verification: Verification;
  try {
    verification = verifyRound(published(record));
  } catch (err) {
    verification = { verifiable: false, detail: `could not recompute: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { ...record, verification };
}

/** The fields the verifier reads, in the form `GET /api/fairness/rounds/:id` publishes them. */
function published(r: Omit<RoundRecord, 'verification'>): PublishedRound {
  const { crash, seed } = r;
  return {
    game: r.game,
    algorithm_version: r.algorithmVersion,
    payout: r.payout,
    outcome: r.outcome,
    seed: seed && { server_seed: seed.serverSeed, client_seed: seed.clientSeed, nonce: seed.nonce },
    draw: r.draw,
    crash: crash && {
      round_hash: crash.roundHash,
      salt: crash.salt,
      chain_position: crash.chainPosition,
      chain_length: crash.chainLength,
      terminating_hash: crash.terminatingHash,
    },
  };
}
