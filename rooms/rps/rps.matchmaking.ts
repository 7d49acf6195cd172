import { matchMaker } from '@colyseus/core';
import { assertWithinBetLimits, type BetLimits } from '../../domain/games/bet-limits.ts';
import type { Principal } from '../../server/services/auth/token.service.ts';
import { roomPrincipal, type RoomPrincipal } from '../shared/room-auth.ts';
import { RoomName } from '../shared/room-names.ts';

/** A Colyseus seat reservation, as `client.consumeSeatReservation` takes it. */
export type SeatReservation = Awaited<ReturnType<typeof matchMaker.reserveSeatFor>>;
type RoomListing = Awaited<ReturnType<typeof matchMaker.createRoom>>;

/** How many queued duels a request tries before it opens one of its own (each try is one that went away). */
const TRIES = 20;
const QUEUE_TTL_SECONDS = 3600;

/** A duel this process is opening: the next player at its stake who finds the queue empty takes its second seat. */
interface Opening {
  room: Promise<RoomListing>;
  userId: string;
  claimed: boolean;
}

/**
 * Pairs duel players through a queue of waiting duels per stake in Colyseus's presence (Redis, shared by every game
 * process): a player takes the oldest waiting duel off the queue — each duel is handed to exactly one opponent — or,
 * with none left, opens a duel and queues it for the next player. While a duel is being opened, the next player of
 * this process who finds the queue empty takes that duel's second seat (claimed without an await in between, so by
 * exactly one): players asking at the same moment meet in one duel, and no request waits for another's pairing.
 * Requests to two processes at the same moment may open two duels, which the next players fill from the queue.
 *
 * Colyseus's `joinOrCreate` instead shows every joiner the same waiting duel; with two seats all but one of them are
 * refused and retried after a growing random back-off (up to 0.8, 1.6, 3.2 … s), which at tens of joins per second
 * made a join take 1–2 s and sometimes fail.
 *
 * A queued duel that no longer takes an opponent (its player left, the house sat down, it is gone) is skipped; a
 * reservation the player never uses expires after Colyseus's seat reservation time.
 */
export function rpsMatchmaking(deps: { betLimits: BetLimits }) {
  const presence = () => matchMaker.presence;
  const queueOf = (stake: number) => `rps:waiting:${stake}`;
  const opening = new Map<number, Opening>();

  /** A seat in the oldest queued duel another player waits in, or null (a queued entry is "<room id> <user id>"). */
  const fromQueue = async (stake: number, options: { stake: number }, auth: RoomPrincipal): Promise<SeatReservation | null> => {
    const own: string[] = [];
    try {
      for (let i = 0; i < TRIES; i++) {
        const entry = await presence().lpop(queueOf(stake));
        if (!entry) return null;
        const [roomId, userId] = entry.split(' ');
        // a second tab of the waiting player is not handed its own duel
        if (userId === auth.userId) {
          own.push(entry);
          continue;
        }
        const room = await matchMaker.getRoomById(roomId);
        if (!room || room.locked) continue;
        try {
          return await matchMaker.reserveSeatFor(room, options, auth);
        } catch (err) {
          if ((err as Error)?.constructor?.name !== 'SeatReservationError') throw err;
        }
      }
      return null;
    } finally {
      // the player's own waiting duels go back to the front, in their order, for the next opponent
      if (own.length > 0) await presence().lpush(queueOf(stake), ...own.reverse());
    }
  };

  /** Opens a duel with this player's seat; unless another player claimed its second seat meanwhile, queues it. */
  const open = async (stake: number, options: { stake: number }, auth: RoomPrincipal): Promise<SeatReservation> => {
    const mine: Opening = { room: matchMaker.createRoom(RoomName.Rps, options), userId: auth.userId, claimed: false };
    opening.set(stake, mine);
    try {
      const room = await mine.room;
      const seat = await matchMaker.reserveSeatFor(room, options, auth);
      // no await between this check and the map's update: a claim comes before it or not at all
      if (opening.get(stake) === mine) opening.delete(stake);
      if (!mine.claimed) {
        await presence().rpush(queueOf(stake), `${room.roomId} ${auth.userId}`);
        // ids of duels that ended unpaired are skipped when popped; an idle stake's queue goes away by itself
        await presence().expire(queueOf(stake), QUEUE_TTL_SECONDS);
      }
      return seat;
    } finally {
      if (opening.get(stake) === mine) opening.delete(stake);
    }
  };

  return {
    async seat(principal: Principal, stake: number): Promise<SeatReservation> {
      assertWithinBetLimits(stake, deps.betLimits, 'A stake');
      const options = { stake };
      const auth = roomPrincipal(principal);
      const queued = await fromQueue(stake, options, auth);
      if (queued) return queued;
      const pending = opening.get(stake);
      if (pending && !pending.claimed && pending.userId !== auth.userId) {
        pending.claimed = true;
        opening.delete(stake);
        try {
          return await matchMaker.reserveSeatFor(await pending.room, options, auth);
        } catch {
          // that duel could not be opened or is gone: open one
        }
      }
      return open(stake, options, auth);
    },
  };
}
