import { BANNERS } from '../../../domain/games/gacha/banners.ts';
import { effectiveTopRate } from '../../../domain/games/gacha/rules.ts';
import { SLOT_V1 } from '../../../domain/games/slot/machine.ts';
import { SLOT_V1_STATS } from '../../../domain/games/slot/published.ts';
import { describeSlotMachine } from '../../../domain/games/slot/rtp.ts';
import { z } from 'zod';
import type { Principal } from '../../services/auth/token.service.ts';
import type { ApiRouter } from '../api.ts';

/** A Colyseus seat reservation for an RPS duel (see rooms/rps/rps.matchmaking.ts). */
export type RpsSeat = (principal: Principal, stake: number) => Promise<object>;

const RpsSeatRequest = z.object({ stake: z.number().int().positive() }).strict();

/** Published game maths: the slot pay sheet with its exact RTP, hit frequency and volatility; gacha banners with their rates. */
export function gamesRoutes(api: ApiRouter, d: { rpsSeat?: RpsSeat } = {}) {
  const tags = ['games'];
  const { rpsSeat } = d;
  if (rpsSeat)
    api.route(
      {
        method: 'post',
        path: '/games/rps/seat',
        tags,
        auth: true,
        body: RpsSeatRequest,
        summary:
          'A seat in an RPS duel at this stake: the oldest duel waiting for an opponent, else a new one. Returns a Colyseus seat reservation for client.consumeSeatReservation (valid 15 s); the stake is escrowed when the seat is taken',
        responses: { 200: 'the seat reservation (name, roomId, sessionId, processId)', 400: 'request/invalid' },
      },
      async ({ principal, body }) => ({ status: 200, body: await rpsSeat(principal, body.stake) }),
    );
  const paySheet = describeSlotMachine(SLOT_V1, SLOT_V1_STATS);
  api.route(
    {
      method: 'get',
      path: '/games/slot',
      tags,
      summary: 'The slot machine: strips, paylines, paytable, exact RTP, hit frequency, volatility',
      responses: { 200: 'the pay sheet' },
    },
    () => ({ status: 200, body: paySheet, headers: { 'Cache-Control': 'public, max-age=3600' } }),
  );

  api.route(
    {
      method: 'get',
      path: '/games/gacha/banners',
      tags,
      summary: 'Gacha banners: costs, disclosed rates, pity rules, items, duplicate conversion',
      responses: { 200: 'the banners' },
    },
    () => ({
      status: 200,
      body: {
        banners: BANNERS.map((b) => ({
          ...b,
          rates_percent: Object.fromEntries(Object.entries(b.ratesBps).map(([k, v]) => [k, v / 100])),
          effective_legendary_rate: { single_pulls: effectiveTopRate(b, 1), ten_pulls: effectiveTopRate(b, 10) },
        })),
      },
    }),
  );
}
