import { matchMaker } from '@colyseus/core';
import { assertWithinBetLimits, type BetLimits } from '../../domain/games/bet-limits.ts';
import type { Principal } from '../../server/services/auth/token.service.ts';
import { roomPrincipal, type RoomPrincipal } from '../shared/room-auth.ts';
import { RoomName } from '../shared/room-names.ts';

/** A Colyseus seat reservation, as `client.consumeSeatReservation` takes it. */
export type SeatReservation = Awaited<ReturnType<typeof matchMaker.reserveSeatFor>>;

/** How many queued duels a request tries before it opens one of its own (each try is one that went away). */
const TRIES = 20;
const QUEUE_TTL_SECONDS = 3600;

/**
 * Pairs duel players through a queue of waiting duels per stake in Colyseus's presence (Redis, shared by every game
 * process): a player takes the oldest waiting duel off the queue — each duel is handed to exactly one opponent — or,
 * with none left, opens a duel and queues it for the next player. Within a process one request per stake pairs at a
 * time, so players asking at the same moment meet in one duel; requests to two processes at the same moment may open
 * two duels, which the next players then fill from the queue. Colyseus's `joinOrCreate` instead shows every joiner
 * the same waiting duel; with two seats all but one of them are refused and retried after a growing random back-off
 * (up to 0.8, 1.6, 3.2 … s), which at tens of joins per second made a join take 1–2 s and sometimes fail.
 *
 * A queued duel that no longer takes an opponent (its player left, the house sat down, it is gone) is skipped; a
 * reservation the player never uses expires after Colyseus's seat reservation time.
 */
export function rpsMatchmaking(deps: { betLimits: BetLimits }) {
  const presence = () => matchMaker.presence;
  const queueOf = (stake: number) => `rps:waiting:${stake}`;
  // one pairing at a time per stake in this process (a promise chain): two players asking at the same moment make one
  // duel, not two lone ones
  const tails = new Map<number, Promise<void>>();
  const oneAtATime = <T>(stake: number, fn: () => Promise<T>): Promise<T> => {
    const run = (tails.get(stake) ?? Promise.resolve()).then(fn);
    const settled = () => undefined;
    const tail: Promise<void> = run.then(settled, settled).then(() => {
      if (tails.get(stake) === tail) tails.delete(stake);
    });
    tails.set(stake, tail);
    return run;
  };
  const take = async (stake: number, options: { stake: number }, auth: RoomPrincipal): Promise<SeatReservation> => {
    // a queued entry is "<room id> <user id>": a second tab of the waiting player is not handed its own duel
    const own: string[] = [];
    try {
      for (let i = 0; i < TRIES; i++) {
        const entry = await presence().lpop(queueOf(stake));
        if (!entry) break;
        const [roomId, userId] = entry.split(' ');
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
      const room = await matchMaker.createRoom(RoomName.Rps, options);
      const seat = await matchMaker.reserveSeatFor(room, options, auth);
      await presence().rpush(queueOf(stake), `${room.roomId} ${auth.userId}`);
      // ids of duels that ended unpaired are skipped when popped; an idle stake's queue goes away by itself
      await presence().expire(queueOf(stake), QUEUE_TTL_SECONDS);
      return seat;
    } finally {
      // the player's own waiting duels go back to the front, in their order, for the next opponent
      if (own.length > 0) await presence().lpush(queueOf(stake), ...own.reverse());
    }
  };
  return {
    async seat(principal: Principal, stake: number): Promise<SeatReservation> {
      assertWithinBetLimits(stake, deps.betLimits, 'A stake');
      return oneAtATime(stake, () => take(stake, { stake }, roomPrincipal(principal)));
    },
  };
}

export type RpsMatchmaking = ReturnType<typeof rpsMatchmaking>;
