// Design size of the stage (the canvas scales to fit; the DOM overlay scales with it) and the palette.
export const WIDTH = 1280;
export const HEIGHT = 720;
export const COLORS = {
  bg: 0x07051a,
  panel: 0x140c38,
  line: 0x3b2b7a,
  pink: 0xff3df2,
  cyan: 0x3ef0ff,
  gold: 0xffc83d,
  green: 0x53f29a,
  red: 0xff5a7a,
  text: 0xefeaff,
};
export const SCENES = ['auth', 'lobby', 'slot', 'crash', 'rps', 'gacha', 'shop', 'profile', 'fairness'] as const;
export type SceneKey = (typeof SCENES)[number];
