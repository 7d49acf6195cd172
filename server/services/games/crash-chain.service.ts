import { createHash, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { crashPointHundredths } from '../../../domain/rng/fair.ts';
import { fromJson } from '../../db/sql.ts';
import { randomSeedHex } from '../../lib/crypto-seed.ts';

export const CRASH_CHAIN_LENGTH = 1_000_000;
const CHECKPOINT_EVERY = 1000;

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

interface ChainRow {
  id: string;
  length: number;
  salt: string;
  terminating_hash: string;
  checkpoint_every: number;
  rounds_used: number;
}

export interface CrashRoundDraw {
  crashRoundId: string;
  chainId: string;
  position: number;
  roundHash: string;
  salt: string;
  /** hundredths */
  crashPoint: number;
}

/**
 * The crash hash chain (DESIGN §4a): h0 secret, h_i = SHA-256(h_{i-1}), h_N and the salt published; round r uses
 * h_{N-r}. Uses node:crypto for speed (a million hashes ≈ 1 s); the domain verifier recomputes with the same formula.
 */
export class CrashChainService {
  private readonly checkpoints = new Map<string, string[]>();

  constructor(
    private readonly orm: MikroORM,
    private readonly owner: string,
    private readonly length = CRASH_CHAIN_LENGTH,
  ) {}

  /** The active chain's public data (created on first use). */
  async publicChain(): Promise<{ chain_id: string; length: number; terminating_hash: string; salt: string; rounds_used: number }> {
    const c = await this.orm.em.fork().transactional((tx) => this.activeChain(tx as EntityManager));
    return { chain_id: c.id, length: c.length, terminating_hash: c.terminating_hash, salt: c.salt, rounds_used: Number(c.rounds_used) };
  }

  /** Takes the next link of the active chain for a new round and records the round (status `betting`). */
  async nextRound(roomId: string): Promise<CrashRoundDraw> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      let chain = await this.activeChain(em);
      let [row] = await em.execute<ChainRow[]>(
        `update crash_chains set rounds_used = rounds_used + 1 where id = ? and rounds_used < length
         returning id, length, salt, terminating_hash, checkpoint_every, rounds_used`,
        [chain.id],
      );
      if (!row) {
        await em.execute('update crash_chains set active = false where id = ?', [chain.id]);
        chain = await this.activeChain(em);
        [row] = await em.execute<ChainRow[]>(
          'update crash_chains set rounds_used = rounds_used + 1 where id = ? returning id, length, salt, terminating_hash, checkpoint_every, rounds_used',
          [chain.id],
        );
      }
      const position = Number(row.rounds_used);
      const roundHash = await this.hashAt(em, row, Number(row.length) - position);
      const draw: CrashRoundDraw = {
        crashRoundId: randomUUID(),
        chainId: row.id,
        position,
        roundHash,
        salt: row.salt,
        crashPoint: crashPointHundredths(roundHash, row.salt),
      };
      await em.execute(
        `insert into crash_rounds (id, chain_id, position, round_hash, crash_point, room_id, owner, status, started_at) values (?, ?, ?, ?, ?, ?, ?, 'betting', now())`,
        [draw.crashRoundId, draw.chainId, position, roundHash, draw.crashPoint, roomId, this.owner],
      );
      return draw;
    });
  }

  /** Moves a round to a new status (running, crashed, voided). */
  async markRound(crashRoundId: string, status: 'running' | 'crashed' | 'voided'): Promise<void> {
    await (this.orm.em.fork() as EntityManager).execute(
      `update crash_rounds set status = ?, crashed_at = case when ? in ('crashed', 'voided') then now() else crashed_at end where id = ?`,
      [status, status, crashRoundId],
    );
  }

  /** The fairness record stored with each bet of a round (the round hash is only published once it crashed). */
  static fairnessOf(d: CrashRoundDraw): Record<string, unknown> {
    return { version: 'crash-v1', chain_id: d.chainId, position: d.position, salt: d.salt, round_hash: d.roundHash };
  }

  private async activeChain(em: EntityManager): Promise<ChainRow> {
    const rows = await em.execute<ChainRow[]>(
      'select id, length, salt, terminating_hash, checkpoint_every, rounds_used from crash_chains where active order by created_at limit 1',
    );
    if (rows[0]) return rows[0];
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', ['crash_chain_create']);
    const again = await em.execute<ChainRow[]>(
      'select id, length, salt, terminating_hash, checkpoint_every, rounds_used from crash_chains where active order by created_at limit 1',
    );
    if (again[0]) return again[0];
    return this.createChain(em);
  }

  private async createChain(em: EntityManager): Promise<ChainRow> {
    const seed = randomSeedHex();
    const checkpoints: string[] = [seed];
    let h = seed;
    for (let i = 1; i <= this.length; i++) {
      h = sha256Hex(h);
      if (i % CHECKPOINT_EVERY === 0) checkpoints.push(h);
    }
    const row: ChainRow = {
      id: randomUUID(),
      length: this.length,
      salt: randomSeedHex(),
      terminating_hash: h,
      checkpoint_every: CHECKPOINT_EVERY,
      rounds_used: 0,
    };
    await em.execute(
      `insert into crash_chains (id, length, seed, terminating_hash, salt, checkpoint_every, checkpoints, rounds_used, active, created_at)
       values (?, ?, ?, ?, ?, ?, ?, 0, true, now())`,
      [row.id, row.length, seed, row.terminating_hash, row.salt, CHECKPOINT_EVERY, JSON.stringify(checkpoints)],
    );
    this.checkpoints.set(row.id, checkpoints);
    return row;
  }

  /** h_i, recomputed from the nearest checkpoint at or below i. */
  private async hashAt(em: EntityManager, chain: ChainRow, i: number): Promise<string> {
    let cps = this.checkpoints.get(chain.id);
    if (!cps) {
      const [r] = await em.execute<{ checkpoints: string[] | string }[]>('select checkpoints from crash_chains where id = ?', [chain.id]);
      cps = fromJson<string[]>(r.checkpoints);
      this.checkpoints.set(chain.id, cps);
    }
    const every = Number(chain.checkpoint_every);
    let h = cps[Math.floor(i / every)];
    for (let k = Math.floor(i / every) * every; k < i; k++) h = sha256Hex(h);
    return h;
  }
}
