import { z } from 'zod';

export const WritesSwitchRequest = z.object({ enabled: z.boolean() }).strict();

export const AdminSettingsResponse = z.object({ writes_enabled: z.boolean() });

/** The console's switches on the wire. */
export function settingsBody(s: { writesEnabled: boolean }) {
  return { writes_enabled: s.writesEnabled };
}
