import { findBanner } from '../games/gacha/banners.ts';
import { FLOATS_PER_PULL, pullGacha, type PullCount } from '../games/gacha/rules.ts';
import { housePick } from '../games/rps/rules.ts';
import { SLOT_V1 } from '../games/slot/machine.ts';
import { SLOT_FLOATS_PER_SPIN, spinSlot } from '../games/slot/rules.ts';
import { crashPointHundredths, nextChainHash, roundFloats } from '../rng/fair.ts';

/** A finished round as `GET /api/fairness/rounds/:id` publishes it (the fields a verifier reads). */
export interface PublishedRound {
  game: string;
  algorithm_version: string | null;
  payout: number;
  outcome: Record<string, any>;
  seed?: { server_seed: string | null; client_seed: string; nonce: number };
  draw?: Record<string, any>;
  crash?: { round_hash: string | null; salt: string; chain_position: number; chain_length: number | null; terminating_hash: string | null };
}

export interface Verification {
  /** false while the data needed is still secret (seed not rotated, crash round not over) or the game has no draw */
  verifiable: boolean;
  /** the outcome recomputed from the published data equals the recorded one */
  matches?: boolean;
  detail: string;
}

/** Crash chain positions up to this are walked to the terminating hash; beyond it only the crash point is checked. */
const MAX_CHAIN_WALK = 20_000;

/** Recomputes a round's outcome from its revealed data alone (DESIGN §4a) and compares it with what was recorded. */
export function verifyRound(r: PublishedRound): Verification {
  if (r.game === 'crash') return verifyCrash(r);
  const seed = r.seed;
  if (!seed?.server_seed) return { verifiable: false, detail: 'the server seed is not revealed yet: rotate the seed to verify this round' };
  const input = { serverSeed: seed.server_seed, clientSeed: seed.client_seed, nonce: seed.nonce };
  switch (r.game) {
    case 'slot': {
      if (r.algorithm_version !== SLOT_V1.version) return { verifiable: false, detail: `unknown slot version ${r.algorithm_version}` };
      const spin = spinSlot(SLOT_V1, roundFloats(input, SLOT_FLOATS_PER_SPIN), r.outcome.betPerLine, { freeSpin: !!r.outcome.freeSpin });
      const matches = spin.totalPayout === r.payout && JSON.stringify(spin.grid) === JSON.stringify(r.outcome.grid);
      return { verifiable: true, matches, detail: `reel stops ${spin.stops.join(',')}, payout ${spin.totalPayout}` };
    }
    case 'gacha': {
      const banner = findBanner(r.outcome.banner_id);
      const count = r.outcome.count as PullCount;
      const again = pullGacha(banner, { sinceTop: r.outcome.pity_before }, roundFloats(input, count * FLOATS_PER_PULL), count);
      const recorded = (r.outcome.pulls as Array<{ rarity: string; itemId: string }>).map((p) => `${p.rarity}:${p.itemId}`).join(',');
      const matches =
        again.pulls.map((p) => `${p.rarity}:${p.itemId}`).join(',') === recorded && again.pityAfter.sinceTop === r.outcome.pity_after;
      return { verifiable: true, matches, detail: `${count} pull(s) from pity ${r.outcome.pity_before}` };
    }
    case 'rps': {
      if (!r.draw?.house_pick) return { verifiable: false, detail: 'a duel between two players has no random draw' };
      const pick = housePick(roundFloats(input, 1)[0]);
      return { verifiable: true, matches: pick === r.draw.house_pick, detail: `house pick ${pick}` };
    }
    default:
      return { verifiable: false, detail: `unknown game ${r.game}` };
  }
}

function verifyCrash(r: PublishedRound): Verification {
  const c = r.crash;
  if (!c?.round_hash) return { verifiable: false, detail: 'the round hash is published once the round is over' };
  const point = crashPointHundredths(c.round_hash, c.salt);
  const recorded = r.outcome.crash_point;
  let matches = recorded === undefined || recorded === point;
  let detail = `crash point ${(point / 100).toFixed(2)}x`;
  if (c.terminating_hash && c.chain_position <= MAX_CHAIN_WALK) {
    let h = c.round_hash;
    for (let i = 0; i < c.chain_position; i++) h = nextChainHash(h);
    matches = matches && h === c.terminating_hash;
    detail += `; hashing the round hash ${c.chain_position} time(s) gives the published terminating hash: ${h === c.terminating_hash}`;
  }
  return { verifiable: true, matches, detail };
}
