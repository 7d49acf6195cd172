import { BANNERS } from '../../../domain/games/gacha/banners.ts';
import { effectiveTopRate } from '../../../domain/games/gacha/rules.ts';
import { SLOT_V1 } from '../../../domain/games/slot/machine.ts';
import { describeSlotMachine, type SlotPaySheet } from '../../../domain/games/slot/rtp.ts';
import type { ApiRouter } from '../api.ts';

/** Published game maths: the slot pay sheet with its exact RTP, hit frequency and volatility; gacha banners with their rates. */
export function gamesRoutes(api: ApiRouter) {
  const tags = ['games'];
  let paySheet: SlotPaySheet | undefined; // exact enumeration takes ~0.5 s: computed on first request, then kept
  api.route(
    {
      method: 'get',
      path: '/games/slot',
      tags,
      summary: 'The slot machine: strips, paylines, paytable, exact RTP, hit frequency, volatility',
      responses: { 200: 'the pay sheet' },
    },
    () => ({ status: 200, body: (paySheet ??= describeSlotMachine(SLOT_V1)), headers: { 'Cache-Control': 'public, max-age=3600' } }),
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
