/** Demo events and missions `npm start` seeds (idempotently, by code). Conditions and rewards are data. */
export interface EventSeed {
  code: string;
  name: string;
  description: string;
  type: 'daily' | 'limited' | 'progression';
  condition: Record<string, unknown>;
  reward: Record<string, unknown>;
  days?: number;
  rank: number;
}
export interface MissionSeed {
  code: string;
  name: string;
  period: 'daily' | 'weekly' | 'achievement';
  condition: Record<string, unknown>;
  reward: Record<string, unknown>;
  rank: number;
}

export const DEMO_EVENTS: EventSeed[] = [
  {
    code: 'daily_spinner',
    name: 'Daily Spinner',
    description: 'Spin the slots 30 times today.',
    type: 'daily',
    condition: { metric: 'rounds', game: 'slot', target: 30 },
    reward: { gold: 300, xp: 50 },
    rank: 1,
  },
  {
    code: 'neon_rush',
    name: 'Neon Rush Week',
    description: 'Wager 5,000 GOLD in any game this week.',
    type: 'limited',
    condition: { metric: 'wagered', target: 5000 },
    reward: { gem: 30, items: [{ item_id: 'neon-rush-badge', quantity: 1 }] },
    days: 7,
    rank: 2,
  },
  {
    code: 'high_flyer',
    name: 'High Flyer',
    description: 'Cash out a crash bet at 5x or more.',
    type: 'progression',
    condition: { metric: 'biggest_multiplier', game: 'crash', target: 500 },
    reward: { gem: 20, xp: 200 },
    rank: 3,
  },
];

export const DEMO_MISSIONS: MissionSeed[] = [
  {
    code: 'd_slot_10',
    name: 'Warm-up: 10 slot spins',
    period: 'daily',
    condition: { metric: 'rounds', game: 'slot', target: 10 },
    reward: { gold: 100 },
    rank: 1,
  },
  {
    code: 'd_play_2',
    name: 'Play 2 sessions',
    period: 'daily',
    condition: { metric: 'sessions', target: 2 },
    reward: { gold: 50, xp: 20 },
    rank: 2,
  },
  {
    code: 'w_wager_3000',
    name: 'Wager 3,000 GOLD this week',
    period: 'weekly',
    condition: { metric: 'wagered', target: 3000 },
    reward: { gold: 500, gem: 5 },
    rank: 3,
  },
  {
    code: 'w_wins_25',
    name: 'Win 25 rounds this week',
    period: 'weekly',
    condition: { metric: 'wins', target: 25 },
    reward: { gem: 10 },
    rank: 4,
  },
  {
    code: 'a_gacha_10',
    name: 'Collector: 10 gacha pulls',
    period: 'achievement',
    condition: { metric: 'pulls', game: 'gacha', target: 10 },
    reward: { gem: 15, items: [{ item_id: 'collector-badge', quantity: 1 }] },
    rank: 5,
  },
  {
    code: 'a_rps_win_5',
    name: 'Duelist: win 5 RPS duels',
    period: 'achievement',
    condition: { metric: 'wins', game: 'rps', target: 5 },
    reward: { gold: 400 },
    rank: 6,
  },
];
