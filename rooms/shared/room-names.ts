/** Every room type name, in one place (client and server use these). */
export const RoomName = {
  Hub: 'hub',
} as const;
export type RoomName = (typeof RoomName)[keyof typeof RoomName];
