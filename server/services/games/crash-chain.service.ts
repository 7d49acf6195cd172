import { createHash, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { crashPointHundredths } from '../../../domain/rng/fair.ts';
import * as chains from '../../db/repositories/crash-chain.repository.ts';
import type { ChainRow } from '../../db/repositories/crash-chain.repository.ts';
import { randomSeedHex } from '../../lib/crypto-seed.ts';

export const CRASH_CHAIN_LENGTH = 1_000_000;
const CHECKPOINT_EVERY = 1000;

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export interface CrashRoundDraw {
  crashRoundId: string;
  chainId: string;
  position: number;
  roundHash: string;
  salt: string;
  /** hundredths */
  crashPoint: number;
}

/** What the active crash chain publishes: its terminating hash and salt commit to every crash point in advance. */
export interface PublicChain {
  chainId: string;
  length: number;
  terminatingHash: string;
  salt: string;
  roundsUsed: number;
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
  async publicChain(): Promise<PublicChain> {
    const c = await this.orm.em.fork().transactional((tx) => this.activeChain(tx as EntityManager));
    return { chainId: c.id, length: c.length, terminatingHash: c.terminatingHash, salt: c.salt, roundsUsed: c.roundsUsed };
  }

  /** Takes the next link of the active chain for a new round and records the round (status `betting`). */
  async nextRound(roomId: string): Promise<CrashRoundDraw> {
    return this.orm.em.fork().transactional(async (tx) => {
      const em = tx as EntityManager;
      let chain = await this.activeChain(em);
      let row = await chains.takeNextPosition(em, chain.id);
      if (!row) {
        await chains.deactivateChain(em, chain.id);
        chain = await this.activeChain(em);
        row = (await chains.takeNextPosition(em, chain.id, { pastEnd: true }))!;
      }
      const position = row.roundsUsed;
      const roundHash = await this.hashAt(em, row, Number(row.length) - position);
      const draw: CrashRoundDraw = {
        crashRoundId: randomUUID(),
        chainId: row.id,
        position,
        roundHash,
        salt: row.salt,
        crashPoint: crashPointHundredths(roundHash, row.salt),
      };
      await chains.insertCrashRound(em, {
        id: draw.crashRoundId,
        chainId: draw.chainId,
        position,
        roundHash,
        crashPoint: draw.crashPoint,
        roomId,
        owner: this.owner,
      });
      return draw;
    });
  }

  /** Moves a round to a new status (running, crashed, voided). */
  async markRound(crashRoundId: string, status: 'running' | 'crashed' | 'voided'): Promise<void> {
    await chains.setCrashRoundStatus(this.orm.em.fork() as EntityManager, crashRoundId, status);
  }

  /** The fairness record stored with each bet of a round (the round hash is only published once it crashed). */
  static fairnessOf(d: CrashRoundDraw): Record<string, unknown> {
    return { version: 'crash-v1', chain_id: d.chainId, position: d.position, salt: d.salt, round_hash: d.roundHash };
  }

  private async activeChain(em: EntityManager): Promise<ChainRow> {
    const active = await chains.findActiveChain(em);
    if (active) return active;
    await chains.lockChainCreation(em);
    const again = await chains.findActiveChain(em);
    if (again) return again;
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
      terminatingHash: h,
      checkpointEvery: CHECKPOINT_EVERY,
      roundsUsed: 0,
    };
    await chains.insertChain(em, { ...row, seed, checkpoints });
    this.checkpoints.set(row.id, checkpoints);
    return row;
  }

  /** h_i, recomputed from the nearest checkpoint at or below i. */
  private async hashAt(em: EntityManager, chain: ChainRow, i: number): Promise<string> {
    let cps = this.checkpoints.get(chain.id);
    if (!cps) {
      cps = await chains.chainCheckpoints(em, chain.id);
      this.checkpoints.set(chain.id, cps);
    }
    const every = chain.checkpointEvery;
    let h = cps[Math.floor(i / every)];
    for (let k = Math.floor(i / every) * every; k < i; k++) h = sha256Hex(h);
    return h;
  }
}
