import type { Client, RoomOptions } from '@colyseus/core';
import type { ZodType } from 'zod';
import { DomainError } from '../../domain/shared/errors.ts';
import type { Game } from '../../domain/games/game.ts';
import type { Logger } from '../../server/lib/logger.ts';
import type { GameService } from '../../server/services/game.service.ts';
import type { Principal } from '../../server/services/token.service.ts';
import { BaseRoom, type RoomProbe } from './base-room.ts';

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
}

export type PlayerClient = Client<{ auth: Principal }> & { auth: Principal };

/** An error sent to one client; it never closes the connection. */
export interface ErrorMessage { code: string; message: string; ref?: unknown }

interface Seat { userId: string; username: string; sessionId: string }

/**
 * The common life of a game room: a game session per joined player (opened on join, closed on final
 * leave so the session-end hooks run), reconnection within a window, and message handlers that are
 * validated, rate-limited and run one at a time per client (an actor's mailbox), so a bad or hostile
 * message is answered with an `error` message and never crashes the room.
 */
export abstract class GameRoom<T extends RoomOptions> extends BaseRoom<T> {
  protected abstract readonly game: Game;
  protected abstract readonly deps: GameRoomDeps;
  protected readonly seats = new Map<string, Seat>();
  private readonly mailboxes = new Map<string, Promise<void>>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  protected get logger(): Logger { return this.deps.logger; }
  protected get probe(): RoomProbe | undefined { return this.deps.probe; }

  /** Registers a validated, rate-limited, serialised handler. */
  protected handle<M>(type: string, schema: ZodType<M>, fn: (client: PlayerClient, msg: M) => Promise<void> | void): void {
    this.onMessage(type, (client: Client, raw: unknown) => {
      const c = client as PlayerClient;
      if (!this.takeToken(c)) return this.sendError(c, new DomainError('rate/limited', 'Too many messages; slow down.'), raw);
      const parsed = schema.safeParse(raw ?? {});
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ');
        return this.sendError(c, new DomainError('request/invalid', `Invalid "${type}" message: ${detail}.`), raw);
      }
      this.enqueue(c, () => fn(c, parsed.data), raw);
    });
  }

  /** Call from `onCreate` after registering handlers: unknown message types get an error, not a disconnect. */
  protected rejectUnknownMessages(): void {
    this.onMessage('*', (client: Client, type: string | number) => {
      this.sendError(client as PlayerClient, new DomainError('request/invalid', `Unknown message type "${String(type)}".`));
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
    if (err instanceof DomainError) {
      client.send('error', { code: err.code, message: err.message, ...err.details, ref: refOf(ref) } satisfies ErrorMessage);
      return;
    }
    this.logger.error({ err, roomId: this.roomId, userId: client.auth?.userId }, 'room handler failed');
    client.send('error', { code: 'internal/error', message: 'Something went wrong; nothing was charged unless a result was shown.', ref: refOf(ref) });
  }

  /** The seat (user and game session) of a connected client. */
  protected seatOf(client: PlayerClient): Seat {
    const seat = this.seats.get(client.sessionId);
    if (!seat) throw new DomainError('resource/not_found', 'You have no seat in this room.');
    return seat;
  }

  override async onJoin(joining: Client, options?: Record<string, unknown>): Promise<void> {
    const client = joining as PlayerClient;
    const sessionId = await this.deps.games.openSession(client.auth.userId, this.game, this.roomId);
    this.seats.set(client.sessionId, { userId: client.auth.userId, username: client.auth.username, sessionId });
    try {
      await this.onPlayerJoin(client, options ?? {});
    } catch (err) {
      // the join is refused (e.g. a stake the player cannot afford): no seat, and the empty session is closed
      this.seats.delete(client.sessionId);
      await this.deps.games.closeSession(sessionId);
      throw err;
    }
  }

  /** A dropped client keeps its seat (and pending bet) for the reconnection window; onLeave follows if it does not return. */
  override async onDrop(client: Client): Promise<void> {
    try {
      await this.allowReconnection(client, this.deps.reconnectSeconds);
    } catch {
      // the window expired (or the room is disposing): Colyseus calls onLeave next
    }
  }

  override async onLeave(leaving: Client): Promise<void> {
    const client = leaving as PlayerClient;
    try {
      await this.onPlayerLeave(client);
      await (this.mailboxes.get(client.sessionId) ?? Promise.resolve());
    } finally {
      const seat = this.seats.get(client.sessionId);
      this.seats.delete(client.sessionId);
      this.mailboxes.delete(client.sessionId);
      this.buckets.delete(client.sessionId);
      if (seat) await this.deps.games.closeSession(seat.sessionId);
    }
  }

  /** Game-specific join (state, greeting). */
  protected abstract onPlayerJoin(client: PlayerClient, options: Record<string, unknown>): Promise<void> | void;
  /** Game-specific final leave (the seat is still there; the session closes right after). */
  protected onPlayerLeave(_client: PlayerClient): Promise<void> | void {}

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
