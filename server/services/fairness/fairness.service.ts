import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { verifyRound, type PublishedRound } from '../../../domain/fairness/verify.ts';
import { seedCommitment, type FairInput } from '../../../domain/rng/fair.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import type { Clock } from '../../../domain/shared/clock.ts';
import { fromJson, type WritePart } from '../../db/sql.ts';
import { randomSeedHex } from '../../lib/crypto-seed.ts';

/** The server seed a round was drawn from, with its public parts. */
export interface SeedDraw extends FairInput {
  seedId: string;
  serverSeedHash: string;
}

export interface SeedView {
  server_seed_hash: string;
  client_seed: string;
  next_nonce: number;
}

interface SeedRow {
  id: string;
  server_seed: string;
  server_seed_hash: string;
  client_seed: string;
  next_nonce: number;
}

/**
 * The active seeds of several players, locked for the rest of a transaction (see `FairnessService.lockSeeds`):
 * nonces are taken in memory and written back with one statement (`FairnessService.nonceWrites`).
 */
export class LockedSeeds {
  private readonly next = new Map<string, number>();

  constructor(private readonly rows: Map<string, SeedRow & { user_id: string }>) {
    for (const [userId, r] of rows) this.next.set(userId, Number(r.next_nonce));
  }

  /** Takes the player's next nonce. */
  draw(userId: string): SeedDraw {
    const r = this.rows.get(userId);
    if (!r) throw new Error(`the seed of user ${userId} is not locked by this transaction`);
    const nonce = this.next.get(userId)!;
    this.next.set(userId, nonce + 1);
    return { seedId: r.id, serverSeed: r.server_seed, serverSeedHash: r.server_seed_hash, clientSeed: r.client_seed, nonce };
  }

  /** The player's next nonce (to rewind to with `rewind` when a round is dropped). */
  position(userId: string): number {
    return this.next.get(userId) ?? 0;
  }

  rewind(userId: string, nonce: number): void {
    if (this.next.has(userId)) this.next.set(userId, nonce);
  }

  /** Seeds whose nonce moved, with their new next nonce. */
  changed(): Array<{ id: string; next_nonce: number }> {
    return [...this.rows]
      .filter(([u, r]) => this.next.get(u) !== Number(r.next_nonce))
      .map(([u, r]) => ({ id: r.id, next_nonce: this.next.get(u)! }));
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
    let rows = await em.execute<(SeedRow & { nonce: number })[]>(
      `update fairness_seeds set next_nonce = next_nonce + 1 where user_id = ? and revealed_at is null
       returning id, server_seed, server_seed_hash, client_seed, next_nonce - 1 as nonce`,
      [userId],
    );
    if (rows.length === 0) {
      await this.create(em, userId, defaultClientSeed());
      rows = await em.execute(
        `update fairness_seeds set next_nonce = next_nonce + 1 where user_id = ? and revealed_at is null
         returning id, server_seed, server_seed_hash, client_seed, next_nonce - 1 as nonce`,
        [userId],
      );
    }
    const r = rows[0];
    return {
      seedId: r.id,
      serverSeed: r.server_seed,
      serverSeedHash: r.server_seed_hash,
      clientSeed: r.client_seed,
      nonce: Number(r.nonce),
    };
  }

  /**
   * Locks the active seeds of several players in the caller's transaction (creating missing ones), in user
   * order so that concurrent batches cannot deadlock. While the locks are held nobody else takes these
   * players' nonces, so they can be counted in memory.
   */
  async lockSeeds(em: EntityManager, userIds: string[]): Promise<LockedSeeds> {
    const ids = [...new Set(userIds)].sort();
    const lock = (users: string[]) =>
      em.execute<(SeedRow & { user_id: string })[]>(
        `select id, user_id, server_seed, server_seed_hash, client_seed, next_nonce from fairness_seeds
        where user_id in (?) and revealed_at is null order by user_id for update`,
        [users],
      );
    const rows = new Map((await lock(ids)).map((r) => [r.user_id, r]));
    const missing = ids.filter((u) => !rows.has(u));
    if (missing.length > 0) {
      for (const u of missing) await this.create(em, u, defaultClientSeed());
      for (const r of await lock(missing)) rows.set(r.user_id, r);
    }
    return new LockedSeeds(rows);
  }

  /** The write of the nonces taken from locked seeds (one UPDATE, to run with `executeTogether`); none if no nonce moved. */
  nonceWrites(seeds: LockedSeeds): WritePart[] {
    const changed = seeds.changed();
    if (changed.length === 0) return [];
    return [
      {
        sql: `update fairness_seeds s set next_nonce = v.next_nonce from json_to_recordset(?::json) as v(id uuid, next_nonce int) where s.id = v.id`,
        params: [JSON.stringify(changed)],
      },
    ];
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
      const [row] = await em.execute<SeedRow[]>(
        `update fairness_seeds set client_seed = ? where id = ?
         returning id, server_seed, server_seed_hash, client_seed, next_nonce`,
        [clientSeed, active.id],
      );
      return toView(row);
    });
  }

  /** Reveals the active server seed and starts a new one (nonce 0, same client seed unless one is given). */
  async rotate(userId: string, clientSeed?: string) {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      const old = await this.active(em, userId, true);
      await em.execute('update fairness_seeds set revealed_at = ? where id = ?', [this.clock.now(), old.id]);
      const next = await this.create(em, userId, clientSeed ?? old.client_seed);
      return {
        previous: {
          server_seed: old.server_seed,
          server_seed_hash: old.server_seed_hash,
          client_seed: old.client_seed,
          rounds_played: Number(old.next_nonce),
        },
        current: toView(next),
      };
    });
  }

  /**
   * Everything a verifier needs for a finished round: the game, algorithm version, bet, outcome and payout,
   * plus the seed data (server seed only once revealed) or, for crash, the chain data (only once crashed).
   */
  async roundRecord(roundId: string): Promise<Record<string, unknown>> {
    const em = this.orm.em.fork() as EntityManager;
    const rows = await em.execute<Array<Record<string, unknown>>>(
      `select r.id, r.game, r.user_id, r.currency, r.bet, r.payout, r.outcome, r.fairness, r.status, r.created_at, r.settled_at,
              s.server_seed, s.revealed_at, c.status as crash_status, ch.terminating_hash, ch.length as chain_length
         from game_rounds r
         left join fairness_seeds s on s.id = r.seed_id
         left join crash_rounds c on r.game = 'crash' and c.id::text = r.group_id
         left join crash_chains ch on ch.id = c.chain_id
        where r.id = ?`,
      [roundId],
    );
    if (rows.length === 0) throw new DomainError('resource/not_found', 'No such round.');
    const r = rows[0];
    const fairness = fromJson<Record<string, any>>(r.fairness ?? {});
    const base = {
      round_id: r.id,
      game: r.game,
      status: r.status,
      currency: r.currency,
      bet: Number(r.bet),
      payout: Number(r.payout),
      outcome: fromJson<Record<string, any>>(r.outcome ?? {}),
      algorithm_version: fairness.version ?? null,
      created_at: r.created_at,
      settled_at: r.settled_at,
    };
    let record: Record<string, unknown>;
    if (r.game === 'crash') {
      const finished = r.crash_status === 'crashed' || r.crash_status === 'voided';
      record = {
        ...base,
        crash: {
          round_hash: finished ? fairness.round_hash : null,
          chain_position: fairness.position,
          salt: fairness.salt,
          chain_length: r.chain_length === null ? null : Number(r.chain_length),
          terminating_hash: r.terminating_hash,
          round_status: r.crash_status,
        },
      };
    } else {
      record = {
        ...base,
        seed: {
          server_seed_hash: fairness.server_seed_hash,
          server_seed: r.revealed_at ? r.server_seed : null,
          client_seed: fairness.client_seed,
          nonce: fairness.nonce,
        },
        draw: Object.fromEntries(Object.entries(fairness).filter(([k]) => !['server_seed_hash', 'client_seed', 'nonce'].includes(k))),
      };
    }
    let verification;
    try {
      verification = verifyRound(record as unknown as PublishedRound);
    } catch (err) {
      verification = { verifiable: false, detail: `could not recompute: ${err instanceof Error ? err.message : String(err)}` };
    }
    return { ...record, verification };
  }

  /**
   * The player's active (unrevealed) seed, created on first use; with `lock`, locked for this transaction. A locking
   * read that waited for a concurrent rotation finds no row (the one it waited for is revealed); it reads again.
   */
  private async active(em: EntityManager, userId: string, lock = false): Promise<SeedRow> {
    const sql = `select id, server_seed, server_seed_hash, client_seed, next_nonce from fairness_seeds where user_id = ? and revealed_at is null${lock ? ' for update' : ''}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const [row] = await em.execute<SeedRow[]>(sql, [userId]);
      if (row) return row;
      const created = await this.create(em, userId, defaultClientSeed());
      if (!lock) return created;
    }
    throw new Error(`fairness: no active seed could be locked for user ${userId}`);
  }

  private async create(em: EntityManager, userId: string, clientSeed: string): Promise<SeedRow> {
    const serverSeed = randomSeedHex();
    await em.execute(
      `insert into fairness_seeds (id, user_id, server_seed, server_seed_hash, client_seed, next_nonce, created_at)
       values (gen_random_uuid(), ?, ?, ?, ?, 0, now()) on conflict (user_id) where revealed_at is null do nothing`,
      [userId, serverSeed, seedCommitment(serverSeed), clientSeed],
    );
    const [row] = await em.execute<SeedRow[]>(
      'select id, server_seed, server_seed_hash, client_seed, next_nonce from fairness_seeds where user_id = ? and revealed_at is null',
      [userId],
    );
    return row;
  }
}

function toView(r: SeedRow): SeedView {
  return { server_seed_hash: r.server_seed_hash, client_seed: r.client_seed, next_nonce: Number(r.next_nonce) };
}

/** A random first client seed; the player can replace it at any time. */
function defaultClientSeed(): string {
  return randomSeedHex().slice(0, 16);
}
