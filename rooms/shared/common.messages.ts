import { z } from 'zod';
import { CURRENCIES } from '../../domain/economy/currency.ts';

/**
 * The wire contract of the rooms (docs/protocol.md). Each room's `<room>.messages.ts` holds zod schemas of what the
 * room receives (validated on receipt) and of what it sends (`<Room>ServerMessages`: message type → payload schema),
 * from which the room's client type takes the types `client.send` and `broadcast` accept. Values that domain/ already
 * declares (a spin's outcome, a gacha pull) are typed with `z.custom<DomainType>()` instead of declared again.
 * The game client imports these types with `import type` (no zod, no server code reaches its bundle).
 */

export const Currency = z.enum(CURRENCIES);
export type Currency = z.infer<typeof Currency>;

/** Every currency's balance in integer minor units, as committed by the transaction the message reports. */
export const Balances = z.record(Currency, z.number().int());
export type Balances = z.infer<typeof Balances>;

/** The `ref` of the client message being answered (any JSON value the client chose), echoed to match replies. */
export const Ref = z.unknown();

/** A round's provably fair draw (DESIGN §4a): the seed commitment, the client seed and the round's nonce. */
export const RoundFairness = z.object({ server_seed_hash: z.string(), client_seed: z.string(), nonce: z.number().int() });
export type RoundFairness = z.infer<typeof RoundFairness>;

/**
 * `error`: a message refused or a handler that failed, sent to that client only; the connection stays open. Details of
 * the broken rule may follow the code (`balance` and `required`, `reason`, …).
 */
export const ErrorMessage = z.object({ code: z.string(), message: z.string(), ref: Ref.optional() }).catchall(z.unknown());
export type ErrorMessage = z.infer<typeof ErrorMessage>;

/**
 * `reality_check`, every N minutes of presence in a game room (the player's interval, `GET /api/limits`): time played
 * and net result (won − staked, per currency) since joining this room. The client shows it; the player continues or
 * leaves (nothing to answer).
 */
export const RealityCheckMessage = z.object({
  minutes_played: z.number().int(),
  seconds_played: z.number().int(),
  interval_minutes: z.number(),
  net: z.record(z.string(), z.number().int()),
  wagered: z.record(z.string(), z.number().int()),
});
export type RealityCheckMessage = z.infer<typeof RealityCheckMessage>;

/** The payload type of every message in a room's outbound schemas. */
export type PayloadsOf<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.infer<S[K]> };
