import type { EntityManager } from '@mikro-orm/postgresql';
import { SLOT_V1 } from '../../domain/games/slot/machine.ts';
import { spinSlot, SLOT_FLOATS_PER_SPIN } from '../../domain/games/slot/rules.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import type { TestServer } from './test-server.ts';

/** Rotates the player's seed until their next slot spin at `betPerLine` is known (from the stored seed) to lose all. */
export async function rotateToLosingSpin(server: TestServer, player: { userId: string; token: string }, betPerLine: number) {
  for (let i = 0; i < 60; i++) {
    await server.http.post('/api/fairness/rotate', undefined, { token: player.token });
    const [seed] = await (server.orm.em.fork() as EntityManager).execute<
      Array<{ server_seed: string; client_seed: string; next_nonce: number }>
    >('select server_seed, client_seed, next_nonce from fairness_seeds where user_id = ? and revealed_at is null', [player.userId]);
    const floats = roundFloats(
      { serverSeed: seed.server_seed, clientSeed: seed.client_seed, nonce: seed.next_nonce },
      SLOT_FLOATS_PER_SPIN,
    );
    const spin = spinSlot(SLOT_V1, floats, betPerLine);
    if (spin.totalPayout === 0 && spin.freeSpinsAwarded === 0) return;
  }
  throw new Error('no losing seed found');
}
