/** Every room type name, in one place (client and server use these). */
export const RoomName = {
  Hub: 'hub',
  Slot: 'slot',
  Crash: 'crash',
  Rps: 'rps',
  Gacha: 'gacha',
} as const;
export type RoomName = (typeof RoomName)[keyof typeof RoomName];
