import { ServerError, type Client, type ExtractRoomClient, type RoomOptions } from '@colyseus/core';
import { ErrorCode } from '@colyseus/shared-types';
import type { ZodType } from 'zod';
import { DomainError } from '../../domain/shared/errors.ts';
import type { Game } from '../../domain/games/game.ts';
import { isPlayBlockReason, PLAY_BLOCKED_CLOSE_CODE, SIGNED_OUT_CLOSE_CODE } from '../../domain/realtime/kick.ts';
import type { LimitsService } from '../../server/services/limits/limits.service.ts';
import type { RealityCheckMessage } from './common.messages.ts';
import type { Logger } from '../../server/lib/logger.ts';
import { isDependencyUnavailable } from '../../server/lib/unavailable.ts';
import type { GameService } from '../../server/services/games/game.service.ts';
import { BaseRoom, sendErrorMessage, type RoomProbe } from './base-room.ts';
import { KickWatch } from './kick-watch.ts';
import type { PlayerClient } from './player-client.ts';

export type { PlayerClient } from './player-client.ts';

/** What every game room needs from the server. */
export interface GameRoomDeps {
  logger: Logger;
  games: Pick<GameService, 'openSession' | 'closeSession'>;
  /** seconds a dropped client keeps its seat */
  reconnectSeconds: number;
  /** messages per second a client may send before being told `rate/limited` */
  messagesPerSecond: number;
  /** capacity metrics (messages, patch durations) */
  probe?: RoomProbe;
  /** how long a decided write (a settlement, a session close) is retried while PostgreSQL is away; default 2 min */
  persistRetryMs?: number;
  /** responsible play: joins refused during a cool-off or self-exclusion, reality checks every N minutes */
  limits?: Pick<LimitsService, 'assertCanPlay' | 'sessionResult'>;
}

interface Seat {
  userId: string;
  username: string;
  sessionId: string;
  joinedAt: number;
  /** the reality-check timer */
  timer?: { clear(): void };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The common life of a game room: a game session per joined connection (opened on join, closed on final
 * leave so the session-end hooks run), reconnection within a window, and message handlers that are
 * validated, rate-limited and run one at a time per client (an actor's mailbox), so a bad or hostile
 * message is answered with an `error` message and never crashes the room. Seats are keyed by the
 * connection's room session id, which is unique per connection (see `RoomPrincipal`): a second tab or a
 * rejoin gets a seat of its own, and each seat's session closes when that connection finally leaves.
 */
export abstract class GameRoom<T extends RoomOptions & { client: PlayerClient }> extends BaseRoom<T> {
  protected abstract readonly game: Game;
  protected abstract readonly deps: GameRoomDeps;
  /** the currency this room's stakes are in (reality checks report the net result in it) */
  protected get currency(): string {
    return 'GOLD';
  }
  protected readonly seats = new Map<string, Seat>();
  private readonly mailboxes = new Map<string, Promise<void>>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** users signed out while seated here (banned, sessions revoked): their dropped seats cannot be reconnected */
  private readonly signedOut = new Set<string>();
  private kicks?: KickWatch;

  protected get logger(): Logger {
    return this.deps.logger;
  }
  protected get probe(): RoomProbe | undefined {
    return this.deps.probe;
  }

  /** Registers a validated, rate-limited, serialised handler; `receivedAt` is when the message came in (performance.now()). */
  protected handle<M>(
    type: string,
    schema: ZodType<M>,
    fn: (client: ExtractRoomClient<T>, msg: M, receivedAt: number) => Promise<void> | void,
  ): void {
    this.onMessage(type, (client: Client, raw: unknown) => {
      const receivedAt = performance.now();
      const c = client as ExtractRoomClient<T>;
      if (!this.takeToken(c)) {
        this.probe?.refused(this.roomName, 'rate_limited');
        return this.sendError(c, new DomainError('rate/limited', 'Too many messages; slow down.'), raw);
      }
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) {
        this.probe?.refused(this.roomName, 'invalid');
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ');
        return this.sendError(c, new DomainError('request/invalid', `Invalid "${type}" message: ${detail}.`), raw);
      }
      this.spawn(
        this.enqueue(c, () => fn(c, parsed.data, receivedAt), raw),
        `"${type}" message`,
      );
    });
  }

  /** Runs `fn` after the client's previous messages finished (one at a time per client). */
  protected enqueue(client: PlayerClient, fn: () => Promise<void> | void, ref?: unknown): Promise<void> {
    const prev = this.mailboxes.get(client.sessionId) ?? Promise.resolve();
    const next = prev.then(fn).catch((err) => this.sendError(client, err, ref));
    this.mailboxes.set(client.sessionId, next);
    return next;
  }

  protected sendError(client: PlayerClient, err: unknown, ref?: unknown): void {
    sendErrorMessage(client, { ...this.errorFor(err, { userId: client.auth?.userId }), ref: refOf(ref) });
  }

  /**
   * Runs a write whose outcome is already decided (a settlement, a refund, a session close) until it commits:
   * while PostgreSQL is unavailable it is retried with backoff (0.25 s doubling to 5 s) for `persistRetryMs`;
   * `onFirstOutage` runs once, at the first outage, so a waiting player can be told at once. Each try is one
   * transaction guarded by status checks and ledger keys, so a retry after an unknown outcome changes nothing
   * twice. A failure that is not an outage, or one that outlasts the window, is thrown (restart recovery settles
   * or refunds what is left open).
   */
  protected async persist<R>(what: string, write: () => Promise<R>, onFirstOutage?: (err: unknown) => void): Promise<R> {
    const deadline = Date.now() + (this.deps.persistRetryMs ?? 120_000);
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!isDependencyUnavailable(err) || Date.now() >= deadline) throw err;
        this.reportFailure(err, what, { retrying: true });
        if (attempt === 0) onFirstOutage?.(err);
        await sleep(Math.min(250 * 2 ** attempt, 5000));
      }
    }
  }

  /**
   * After a stake's escrow transaction failed on a dependency outage, its outcome is unknown: the COMMIT may have
   * landed with its answer lost. The stake is refunded by its round id once the database answers (a no-op when the
   * stake was never written), so it cannot stay in escrow. Waits a moment first, so the cut-off transaction has
   * finished on the server's side.
   */
  protected refundIfWritten(err: unknown, refund: () => Promise<unknown>): void {
    if (!isDependencyUnavailable(err)) return; // a rule violation or a bug rolled the transaction back
    const what = 'refund a stake whose commit was cut off';
    this.spawn(
      sleep(1000).then(() => this.persist(what, refund)),
      what,
    );
  }

  /** The seat (user and game session) of a connected client. */
  protected seatOf(client: PlayerClient): Seat {
    const seat = this.seats.get(client.sessionId);
    if (!seat) throw new DomainError('resource/not_found', 'You have no seat in this room.');
    return seat;
  }

  override async onJoin(joining: Client, options?: Record<string, unknown>): Promise<void> {
    const client = joining as ExtractRoomClient<T>;
    let sessionId: string;
    let realityCheckMinutes: number | undefined;
    try {
      // a player in a cool-off or self-exclusion is refused every game room (code and end in the refusal)
      realityCheckMinutes = (await this.deps.limits?.assertCanPlay(client.auth.userId))?.realityCheckMinutes;
      sessionId = await this.deps.games.openSession(client.auth.userId, this.game, this.roomId);
    } catch (err) {
      throw this.joinRefusal(err);
    }
    this.seats.set(client.sessionId, { userId: client.auth.userId, username: client.auth.username, sessionId, joinedAt: Date.now() });
    this.signedOut.delete(client.auth.userId);
    try {
      await this.kickWatch().watch(client.auth.userId);
      await this.onPlayerJoin(client, options ?? {});
      if (realityCheckMinutes !== undefined) this.startRealityChecks(client, realityCheckMinutes);
    } catch (err) {
      // the join is refused (e.g. a stake the player cannot afford): no seat, and the empty session is closed
      this.seats.delete(client.sessionId);
      this.kickWatch().unwatch(client.auth.userId);
      // the refusal waits for the close, unless the database is away: then the close is retried in the background
      const what = "close a refused seat's session";
      await new Promise<void>((resolve) => {
        this.spawn(
          this.persist(
            what,
            () => this.deps.games.closeSession(sessionId),
            () => resolve(),
          ).finally(resolve),
          what,
        );
      });
      throw this.joinRefusal(err);
    }
  }

  /** A dropped client keeps its seat (and pending bet) for the reconnection window; onLeave follows if it does not return. */
  override async onDrop(client: Client): Promise<void> {
    if (this.signedOut.has((client as PlayerClient).auth?.userId)) return;
    try {
      await this.allowReconnection(client, this.deps.reconnectSeconds);
    } catch {
      // the window expired (or the room is disposing): Colyseus calls onLeave next
    }
  }

  override async onLeave(leaving: Client): Promise<void> {
    const client = leaving as ExtractRoomClient<T>;
    try {
      await this.onPlayerLeave(client);
      await (this.mailboxes.get(client.sessionId) ?? Promise.resolve());
    } finally {
      const seat = this.seats.get(client.sessionId);
      seat?.timer?.clear();
      this.seats.delete(client.sessionId);
      this.mailboxes.delete(client.sessionId);
      this.buckets.delete(client.sessionId);
      if (seat) this.kickWatch().unwatch(seat.userId);
      if (seat) await this.persist('close a game session', () => this.deps.games.closeSession(seat.sessionId));
    }
  }

  /** A reconnection of a user signed out meanwhile is closed at once (reconnecting does not check the token again). */
  override onReconnect(client: Client): void {
    if (this.signedOut.has((client as PlayerClient).auth?.userId)) client.leave(SIGNED_OUT_CLOSE_CODE);
    else this.onPlayerReconnect(client as ExtractRoomClient<T>);
  }

  /**
   * Closes every connection of a user signed out by an operator, or who started a cool-off or self-exclusion (a kick
   * published on their presence channel; its own close code). Their dropped seats cannot be reconnected.
   */
  private signOut(userId: string, reason?: string): void {
    this.signedOut.add(userId);
    const code = isPlayBlockReason(reason) ? PLAY_BLOCKED_CLOSE_CODE : SIGNED_OUT_CLOSE_CODE;
    for (const c of this.clients) {
      if ((c as PlayerClient).auth?.userId === userId) c.leave(code);
    }
  }

  private kickWatch(): KickWatch {
    this.kicks ??= new KickWatch(this.presence, (userId, reason) => this.signOut(userId, reason));
    return this.kicks;
  }

  /**
   * Sends `reality_check` to a seated player every N minutes of presence (their interval): minutes played and the net
   * result (won − staked) of this seat's game session, in the room's currency.
   */
  private startRealityChecks(client: PlayerClient, minutes: number): void {
    const limits = this.deps.limits;
    const seat = this.seats.get(client.sessionId);
    if (!limits || !seat) return;
    const every = Math.max(250, Math.round(minutes * 60_000));
    seat.timer = this.clock.setInterval(() => {
      if (this.seats.get(client.sessionId) !== seat) return;
      const what = 'send a reality check';
      this.spawn(
        limits.sessionResult(seat.sessionId).then((r) => {
          const played = Date.now() - seat.joinedAt;
          const msg: RealityCheckMessage = {
            minutes_played: Math.floor(played / 60_000),
            seconds_played: Math.floor(played / 1000),
            interval_minutes: minutes,
            net: { [this.currency]: r.won - r.wagered },
            wagered: { [this.currency]: r.wagered },
          };
          // a reconnection brings a new connection object for the same seat: send to the current one
          const current = this.clients.find((c) => c.sessionId === client.sessionId);
          (current as Client | undefined)?.send('reality_check', msg);
        }),
        what,
      );
    }, every);
  }

  /** Game-specific join (state, greeting). */
  protected abstract onPlayerJoin(client: ExtractRoomClient<T>, options: Record<string, unknown>): Promise<void> | void;
  /** Game-specific return within the reconnection window (a reload reconnects with its token): the seat is as it was. */
  protected onPlayerReconnect(_client: ExtractRoomClient<T>): void {}
  /** Game-specific final leave (the seat is still there; the session closes right after). */
  protected onPlayerLeave(_client: ExtractRoomClient<T>): Promise<void> | void {}

  /** What a refused join tells the client: the rule it broke, or that the service is briefly unavailable. */
  private joinRefusal(err: unknown): unknown {
    if (err instanceof ServerError) return err;
    // responsible play: the rule's code leads the message (a cool-off or self-exclusion also has its own code)
    if (err instanceof DomainError && err.code.startsWith('limits/')) {
      const blocked = err.code === 'limits/cool_off' || err.code === 'limits/self_excluded';
      return new ServerError(blocked ? PLAY_BLOCKED_CLOSE_CODE : ErrorCode.APPLICATION_ERROR, `${err.code}: ${err.message}`);
    }
    return new ServerError(ErrorCode.APPLICATION_ERROR, this.errorFor(err, { hook: 'onJoin' }).message);
  }

  private takeToken(client: PlayerClient): boolean {
    const now = Date.now();
    const rate = this.deps.messagesPerSecond;
    const b = this.buckets.get(client.sessionId) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(client.sessionId, b);
    return ok;
  }
}

function refOf(raw: unknown): unknown {
  return raw && typeof raw === 'object' && 'ref' in raw ? (raw as { ref: unknown }).ref : undefined;
}
