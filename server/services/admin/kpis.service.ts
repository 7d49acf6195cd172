import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GAMES, type Game } from '../../../domain/games/game.ts';
import { adminKpis, type SeriesMetric, type SummaryFigures } from '../../db/repositories/admin-kpis.repository.ts';
import { rtpBand, theoreticalRtp, type TheoreticalRtp } from './theoretical-rtp.ts';

/** A room as the matchmaker lists it (across processes). */
export interface ListedRoom {
  name: string;
  clients: number;
}

/** One game's figures: rooms and players now, money over its settled rounds, realized vs designed RTP. */
export interface GameKpi {
  game: Game;
  rooms: number;
  players: number;
  rounds: number;
  wagered: number;
  paid: number;
  ggr: number;
  /** paid / wagered, null before any stake */
  realizedRtp: number | null;
  theoretical: TheoreticalRtp | null;
  band: { low: number; high: number } | null;
  /** `outside` when the realized RTP left the band (red on the console), `n/a` without a theoretical RTP or stakes */
  rtpStatus: 'inside' | 'outside' | 'n/a';
}

export interface KpiSummary extends SummaryFigures {
  at: Date;
  onlinePlayers: number;
  rooms: number;
  roundsPerSecond: number;
  games: GameKpi[];
}

/** Ranges of a series and their bucket size. */
export const SERIES_RANGES = {
  '1h': { ms: 3_600_000, bucket: 60 },
  '24h': { ms: 86_400_000, bucket: 900 },
  '7d': { ms: 604_800_000, bucket: 3600 },
};
export type SeriesRange = keyof typeof SERIES_RANGES;

/**
 * The operators' KPIs. Money figures are sums over the settled rounds and succeeded purchases in PostgreSQL, so a
 * restart never resets them; who is online comes from the matchmaker's room list (Redis-shared across processes).
 */
export class KpisService {
  constructor(
    private readonly orm: MikroORM,
    private readonly rooms: () => Promise<ListedRoom[]>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async summary(): Promise<KpiSummary> {
    const em = this.orm.em.fork() as EntityManager;
    const at = this.now();
    const dayStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
    const [figures, totals, rooms] = [await adminKpis.summary(em, dayStart), await adminKpis.gameTotals(em), await this.listRooms()];
    const games = GAMES.map((game): GameKpi => {
      const t = totals.find((r) => r.game === game) ?? { rounds: 0, staked: 0, wagered: 0, paid: 0 };
      const live = rooms.filter((r) => r.name === game);
      const realizedRtp = t.wagered > 0 ? t.paid / t.wagered : null;
      const theoretical = theoreticalRtp(game);
      const band = theoretical ? rtpBand(theoretical, t.staked) : null;
      const rtpStatus = realizedRtp === null || !band ? 'n/a' : realizedRtp < band.low || realizedRtp > band.high ? 'outside' : 'inside';
      return {
        game,
        rooms: live.length,
        players: live.reduce((sum, r) => sum + r.clients, 0),
        rounds: t.rounds,
        wagered: t.wagered,
        paid: t.paid,
        ggr: t.wagered - t.paid,
        realizedRtp,
        theoretical,
        band,
        rtpStatus,
      };
    });
    return {
      ...figures,
      at,
      // every logged-in client holds one hub connection
      onlinePlayers: rooms.filter((r) => r.name === 'hub').reduce((sum, r) => sum + r.clients, 0),
      rooms: rooms.length,
      roundsPerSecond: figures.roundsLastMinute / 60,
      games,
    };
  }

  /** A metric bucketed over the range (per game for the round metrics when `game` is given). */
  async series(metric: SeriesMetric, range: SeriesRange, game?: Game) {
    const r = SERIES_RANGES[range];
    const since = new Date(this.now().getTime() - r.ms);
    const points = await adminKpis.series(this.orm.em.fork() as EntityManager, { metric, since, bucketSeconds: r.bucket, game });
    return { metric, range, game: game ?? null, bucketSeconds: r.bucket, points };
  }

  /** The matchmaker's rooms; none when it cannot answer (Redis down), the money figures still come. */
  private async listRooms(): Promise<ListedRoom[]> {
    try {
      return await this.rooms();
    } catch {
      return [];
    }
  }
}
