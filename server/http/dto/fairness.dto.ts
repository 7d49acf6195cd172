import type { PublicChain } from '../../services/games/crash-chain.service.ts';
import { z } from 'zod';
import type { Rotation, SeedView } from '../../services/fairness/fairness.service.ts';
import type { RoundRecord } from '../../services/fairness/round-record.ts';

export const SeedResponse = z.object({ server_seed_hash: z.string(), client_seed: z.string(), next_nonce: z.number().int() });

export const ClientSeedRequest = z
  .object({
    client_seed: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  })
  .strict();

export const RotateRequest = z.object({ client_seed: ClientSeedRequest.shape.client_seed.optional() }).strict();

export const RotateResponse = z.object({
  previous: z.object({ server_seed: z.string(), server_seed_hash: z.string(), client_seed: z.string(), rounds_played: z.number().int() }),
  current: SeedResponse,
});

export const RoundIdParams = z.object({ id: z.uuid() });

export const CrashChainResponse = z.object({
  chain_id: z.string(),
  length: z.number().int(),
  terminating_hash: z.string(),
  salt: z.string(),
  rounds_used: z.number().int(),
});

/** A player's active seed on the wire. */
export function seedBody(v: SeedView) {
  return { server_seed_hash: v.serverSeedHash, client_seed: v.clientSeed, next_nonce: v.nextNonce };
}

/** A rotation's answer: the revealed seed and the new commitment. */
export function rotationBody(r: Rotation) {
  const p = r.previous;
  return {
    previous: { server_seed: p.serverSeed, server_seed_hash: p.serverSeedHash, client_seed: p.clientSeed, rounds_played: p.roundsPlayed },
    current: seedBody(r.current),
  };
}

/** A round as published for verification (the fields `domain/fairness/verify.ts` reads, and the server's verdict). */
export function roundRecordBody(r: RoundRecord) {
  const { crash, seed } = r;
  return {
    round_id: r.roundId,
    game: r.game,
    status: r.status,
    currency: r.currency,
    bet: r.bet,
    payout: r.payout,
    outcome: r.outcome,
    algorithm_version: r.algorithmVersion,
    created_at: r.createdAt,
    settled_at: r.settledAt,
    ...(crash && {
      crash: {
        round_hash: crash.roundHash,
        chain_position: crash.chainPosition,
        salt: crash.salt,
        chain_length: crash.chainLength,
        terminating_hash: crash.terminatingHash,
        round_status: crash.roundStatus,
      },
    }),
    ...(seed && {
      seed: { server_seed_hash: seed.serverSeedHash, server_seed: seed.serverSeed, client_seed: seed.clientSeed, nonce: seed.nonce },
      draw: r.draw,
    }),
    verification: r.verification,
  };
}

/** Wire shapes of these answers, for clients (`import type`). */
export type SeedBody = ReturnType<typeof seedBody>;

/** The active crash chain on the wire. */
export function crashChainBody(c: PublicChain) {
  return { chain_id: c.chainId, length: c.length, terminating_hash: c.terminatingHash, salt: c.salt, rounds_used: c.roundsUsed };
}
