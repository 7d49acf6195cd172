/** The games, as named in rounds, sessions and stats. */
export const GAMES = ['slot', 'crash', 'rps', 'gacha'] as const;
export type Game = (typeof GAMES)[number];
