import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { seedCommitment, type FairInput } from '../../../domain/rng/fair.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import * as seeds from '../../db/repositories/fairness-seed.repository.ts';
import type { SeedRow } from '../../db/repositories/fairness-seed.repository.ts';
import type { WritePart } from '../../db/sql.ts';
import { randomSeedHex } from '../../lib/crypto-seed.ts';
import { loadRoundRecord, type RoundRecord } from './round-record.ts';

/** The server seed a round was drawn from, with its public parts. */
export interface SeedDraw extends FairInput {
  seedId: string;
  serverSeedHash: string;
}

/** A player's active seed as the player may see it: the server seed's commitment, the client seed, the next nonce. */
export interface SeedView {
  serverSeedHash: string;
  clientSeed: string;
  nextNonce: number;
}

/** A rotation: the revealed seed with how many rounds it played, and the new active seed. */
export interface Rotation {
  previous: { serverSeed: string; serverSeedHash: string; clientSeed: string; roundsPlayed: number };
  current: SeedView;
}

/**
 * The active seeds of several players, locked for the rest of a transaction (see `FairnessService.lockSeeds`):
 * nonces are taken in memory and written back with one statement (`FairnessService.nonceWrites`).
 */
export class LockedSeeds {
  private readonly next = new Map<string, number>();

  constructor(private readonly rows: Map<string, SeedRow>) {
    for (const [userId, r] of rows) this.next.set(userId, r.nextNonce);
  }

  /** Takes the player's next nonce. */
  draw(userId: string): SeedDraw {
    const r = this.rows.get(userId);
    if (!r) throw new Error(`the seed of user ${userId} is not locked by this transaction`);
    const nonce = this.next.get(userId)!;
    this.next.set(userId, nonce + 1);
    return { seedId: r.id, serverSeed: r.serverSeed, serverSeedHash: r.serverSeedHash, clientSeed: r.clientSeed, nonce };
  }

  /** The player's next nonce (to rewind to with `rewind` when a round is dropped). */
  position(userId: string): number {
    return this.next.get(userId) ?? 0;
  }

  rewind(userId: string, nonce: number): void {
    if (this.next.has(userId)) this.next.set(userId, nonce);
  }

  /** Seeds whose nonce moved, with their new next nonce. */
  changed(): Array<{ id: string; nextNonce: number }> {
    return [...this.rows]
      .filter(([u, r]) => this.next.get(u) !== r.nextNonce)
      .map(([u, r]) => ({ id: r.id, nextNonce: this.next.get(u)! }));
  }
}

/** Per-player provably-fair seeds: commit (hash) before use, draw with a nonce per round, reveal on rotation. */
export class FairnessService {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes the next nonce of the player's active seed inside the caller's transaction (creating the seed on
   * first use). The row lock serialises concurrent rounds of one player, so nonces never repeat.
   */
  async draw(em: EntityManager, userId: string): Promise<SeedDraw> {
    let r = await seeds.takeNonce(em, userId);
    if (!r) {
      await this.create(em, userId, defaultClientSeed());
      r = (await seeds.takeNonce(em, userId))!;
    }
    return {
      seedId: r.id,
      serverSeed: r.serverSeed,
      serverSeedHash: r.serverSeedHash,
      clientSeed: r.clientSeed,
      nonce: r.nonce,
    };
  }

  /**
   * Locks the active seeds of several players in the caller's transaction (creating missing ones), in user
   * order so that concurrent batches cannot deadlock. While the locks are held nobody else takes these
   * players' nonces, so they can be counted in memory.
   */
  async lockSeeds(em: EntityManager, userIds: string[], locked?: Array<Record<string, unknown>>): Promise<LockedSeeds> {
    const ids = [...new Set(userIds)].sort();
    const lock = (users: string[]) => seeds.lockActiveSeeds(em, users);
    const rows = new Map((locked ? seeds.seedRows(em, locked) : await lock(ids)).map((r) => [r.userId, r]));
    const missing = ids.filter((u) => !rows.has(u));
    if (missing.length > 0) {
      for (const u of missing) await this.create(em, u, defaultClientSeed());
      for (const r of await lock(missing)) rows.set(r.userId, r);
    }
    return new LockedSeeds(rows);
  }

  /**
   * The lock statement of `lockSeeds`, to run in one statement with others (`executeTogether`); its rows go to
   * `lockSeeds` as `locked`.
   */
  seedLock(em: EntityManager, userIds: string[]): WritePart {
    return seeds.lockActiveSeedsPart(em, [...new Set(userIds)].sort());
  }

  /** The write of the nonces taken from locked seeds (one UPDATE, to run with `executeTogether`); none if no nonce moved. */
  nonceWrites(locked: LockedSeeds): WritePart[] {
    return seeds.nonceWrites(locked.changed());
  }

  /** Takes the player's next nonce in its own transaction (for a draw made outside a round transaction, e.g. the RPS house pick). */
  async drawNow(userId: string): Promise<SeedDraw> {
    return this.orm.em.fork().transactional((tx) => this.draw(tx as EntityManager, userId));
  }

  /** The active seed's commitment, client seed and next nonce (created on first look). */
  async current(userId: string): Promise<SeedView> {
    return this.orm.em.fork().transactional(async (tx) => toView(await this.active(tx as EntityManager, userId)));
  }

  /**
   * Sets the client seed used by the following rounds. The active seed is locked first: a rotation committing in
   * between would otherwise leave the update matching no row (the new seed is not in its snapshot).
   */
  async setClientSeed(userId: string, clientSeed: string): Promise<SeedView> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const active = await this.active(em, userId, true);
      return toView(await seeds.updateClientSeed(em, active.id, clientSeed));
    });
  }

  /** Reveals the active server seed and starts a new one (nonce 0, same client seed unless one is given). */
  async rotate(userId: string, clientSeed?: string): Promise<Rotation> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const old = await this.active(em, userId, true);
      await seeds.revealSeed(em, old.id, this.clock.now());
      const next = await this.create(em, userId, clientSeed ?? old.clientSeed);
      return {
        previous: {
          serverSeed: old.serverSeed,
          serverSeedHash: old.serverSeedHash,
          clientSeed: old.clientSeed,
          roundsPlayed: old.nextNonce,
        },
        current: toView(next),
      };
    });
  }

  /** Everything a verifier needs for a finished round, with the server's verification of it (no login needed). */
  async roundRecord(roundId: string): Promise<RoundRecord> {
    return loadRoundRecord(this.orm.em.fork() as EntityManager, roundId);
  }

  /**
   * The player's active (unrevealed) seed, created on first use; with `lock`, locked for this transaction. A locking
   * read that waited for a concurrent rotation finds no row (the one it waited for is revealed); it reads again.
   */
  private async active(em: EntityManager, userId: string, lock = false): Promise<SeedRow> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await seeds.findActiveSeed(em, userId, lock);
      if (row) return row;
      const created = await this.create(em, userId, defaultClientSeed());
      if (!lock) return created;
    }
    throw new Error(`fairness: no active seed could be locked for user ${userId}`);
  }

  private async create(em: EntityManager, userId: string, clientSeed: string): Promise<SeedRow> {
    const serverSeed = randomSeedHex();
    return seeds.insertActiveSeed(em, { userId, serverSeed, serverSeedHash: seedCommitment(serverSeed), clientSeed });
  }
}

function toView(r: SeedRow): SeedView {
  return { serverSeedHash: r.serverSeedHash, clientSeed: r.clientSeed, nextNonce: r.nextNonce };
}

/** A random first client seed; the player can replace it at any time. */
function defaultClientSeed(): string {
  return randomSeedHex().slice(0, 16);
}
