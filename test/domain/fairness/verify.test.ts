import { expect } from 'chai';
import { verifyRound, type PublishedRound } from '../../../domain/fairness/verify.ts';
import { SLOT_V1 } from '../../../domain/games/slot/machine.ts';
import { spinSlot } from '../../../domain/games/slot/rules.ts';
import { crashPointHundredths, nextChainHash, roundFloats } from '../../../domain/rng/fair.ts';

const SEED = '0f'.repeat(32);

describe('domain/fairness verifyRound', () => {
  const spin = spinSlot(SLOT_V1, roundFloats({ serverSeed: SEED, clientSeed: 'c', nonce: 4 }, 5), 2);
  const slotRound = (over: Partial<PublishedRound> = {}): PublishedRound => ({
    game: 'slot',
    algorithm_version: SLOT_V1.version,
    payout: spin.totalPayout,
    outcome: { ...spin },
    seed: { server_seed: SEED, client_seed: 'c', nonce: 4 },
    ...over,
  });

  it('confirms an honest slot round and catches a tampered payout, grid or nonce', () => {
    expect(verifyRound(slotRound())).to.include({ verifiable: true, matches: true });
    expect(verifyRound(slotRound({ payout: spin.totalPayout + 1 })).matches).to.equal(false);
    expect(verifyRound(slotRound({ outcome: { ...spin, grid: [...spin.grid].reverse() } })).matches).to.equal(false);
    expect(verifyRound(slotRound({ seed: { server_seed: SEED, client_seed: 'c', nonce: 5 } })).matches).to.equal(false);
  });

  it('cannot verify before the seed is revealed', () => {
    expect(verifyRound(slotRound({ seed: { server_seed: null, client_seed: 'c', nonce: 4 } }))).to.include({ verifiable: false });
  });

  it('checks a crash round against the published chain', () => {
    const h0 = 'ab'.repeat(32);
    const h1 = nextChainHash(h0);
    const h2 = nextChainHash(h1); // terminating hash of a 2-link chain; round 1 uses h1, round 2 uses h0
    const ok: PublishedRound = {
      game: 'crash',
      algorithm_version: 'crash-v1',
      payout: 0,
      outcome: { crash_point: crashPointHundredths(h0, 's') },
      crash: { round_hash: h0, salt: 's', chain_position: 2, chain_length: 2, terminating_hash: h2 },
    };
    expect(verifyRound(ok)).to.include({ verifiable: true, matches: true });
    expect(verifyRound({ ...ok, crash: { ...ok.crash!, chain_position: 1 } }).matches).to.equal(false);
    expect(verifyRound({ ...ok, outcome: { crash_point: 12345 } }).matches).to.equal(false);
    expect(verifyRound({ ...ok, crash: { ...ok.crash!, round_hash: null } }).verifiable).to.equal(false);
  });
});
