import { z } from 'zod';

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
