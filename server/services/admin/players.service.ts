import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { toUsernameKey } from '../../../domain/auth/credentials.ts';
import type { Balances } from '../../../domain/economy/currency.ts';
import { DomainError } from '../../../domain/shared/errors.ts';
import {
  playerGridPage,
  refreshWagered7d,
  type PlayerFilter,
  type PlayerGridRow,
  type PlayerSort,
} from '../../db/repositories/admin-players.repository.ts';
import { playerListPage, playerProfile, type PlayerList } from '../../db/repositories/admin-player-detail.repository.ts';
import type { WalletService } from '../wallet/wallet.service.ts';
import { decodeCursor, pageOf, type KeyKind, type Page } from './keyset.ts';

/** A query of the players grid (parsed by the route). */
export interface PlayerGridQuery {
  /** a username prefix (any case) or an exact user id */
  q?: string;
  status?: string;
  levelMin?: number;
  levelMax?: number;
  createdFrom?: Date;
  createdTo?: Date;
  sort: PlayerSort;
  order: 'asc' | 'desc';
  cursor?: string;
  limit: number;
}

/** A player's account as the admin page shows it: profile, balances and how many of each record they have. */
export interface PlayerDetail {
  profile: Record<string, unknown>;
  balances: Balances;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORT_KINDS: Record<PlayerSort, KeyKind> = {
  created: 'timestamp',
  last_seen: 'timestamp',
  level: 'int',
  gold: 'bigint',
  gem: 'bigint',
  wagered_7d: 'bigint',
};

/**
 * The admin console's reads of players: the searchable grid (keyset paging over indexed sorts) and a player's page
 * with its lists. `wagered_7d` is a rollup: `refreshWagered7d` recomputes it, and a grid read starts a refresh in the
 * background when the last one is older than `wageredRefreshMs` (one at a time per process).
 */
export class AdminPlayersService {
  private wageredRefreshedAt = 0;
  private refreshing?: Promise<number>;

  constructor(
    private readonly orm: MikroORM,
    private readonly wallet: WalletService,
    private readonly opts: { wageredRefreshMs: number; onRefreshFailed?: (err: unknown) => void },
  ) {}

  /** A page of the players grid. */
  async grid(q: PlayerGridQuery): Promise<Page<PlayerGridRow>> {
    this.refreshWageredIfStale();
    const filter: PlayerFilter = {
      status: q.status,
      levelMin: q.levelMin,
      levelMax: q.levelMax,
      createdFrom: q.createdFrom,
      createdTo: q.createdTo,
    };
    if (q.q && UUID.test(q.q)) filter.id = q.q;
    else if (q.q) filter.prefix = toUsernameKey(q.q);
    const after = decodeCursor(q.cursor, { value: SORT_KINDS[q.sort], id: 'uuid' });
    const rows = await playerGridPage(this.em(), { filter, sort: q.sort, order: q.order, after, limit: q.limit });
    return pageOf(rows, q.limit, (r) => ({ value: r.sortKey, id: r.id }));
  }

  /** A player's profile, balances and record counts; 404 for an unknown id (or an operator's). */
  async detail(userId: string): Promise<PlayerDetail> {
    const em = this.em();
    const profile = await playerProfile(em, userId);
    if (!profile) throw notFound();
    return { profile, balances: await this.wallet.balances(em, userId) };
  }

  /** A page of one of a player's lists (ledger, auth sessions, rounds, purchases, inventory, rewards), newest first. */
  async list(userId: string, list: PlayerList, page: { cursor?: string; limit: number }): Promise<Page<Record<string, unknown>>> {
    const em = this.em();
    await this.assertPlayer(em, userId);
    const kinds: Record<'value' | 'id', KeyKind> =
      list === 'ledger' ? { value: 'bigint', id: 'bigint' } : { value: 'timestamp', id: 'uuid' };
    const after = decodeCursor(page.cursor, kinds);
    const rows = await playerListPage(em, list, userId, { after, limit: page.limit });
    return pageOf(rows, page.limit, (r) => ({ value: String(r.sort_key), id: String(r.id) }));
  }

  /** 404 unless a player has this id. */
  async assertPlayer(em: EntityManager, userId: string): Promise<void> {
    const [row] = await em.execute(`select 1 from users where id = ? and role = 'player'`, [userId]);
    if (!row) throw notFound();
  }

  /** Recomputes every player's GOLD wagered over the last 7 days; returns how many figures changed. */
  async refreshWagered7d(): Promise<number> {
    this.refreshing ??= (async () => {
      try {
        return await this.em().transactional(async (tx) => {
          // one refresh at a time across processes; a process that finds it running skips its own
          const [lock] = await tx.execute<Array<{ ok: boolean }>>(`select pg_try_advisory_xact_lock(hashtext('admin.wagered_7d')) as ok`);
          return lock.ok ? refreshWagered7d(tx as EntityManager) : 0;
        });
      } finally {
        this.wageredRefreshedAt = Date.now();
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private refreshWageredIfStale(): void {
    if (this.refreshing || Date.now() - this.wageredRefreshedAt < this.opts.wageredRefreshMs) return;
    this.refreshWagered7d().catch((err: unknown) => this.opts.onRefreshFailed?.(err));
  }

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }
}

/** The 404 of an unknown player id. */
export function notFound(): DomainError {
  return new DomainError('resource/not_found', 'No player has this id.');
}
