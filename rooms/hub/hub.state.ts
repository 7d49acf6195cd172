import { schema, t, type SchemaType } from '@colyseus/schema';

/** The hub keeps no shared state; it only counts who is online. */
export const HubState = schema(
  {
    online: t.uint32().default(0),
  },
  'HubState',
);
export type HubState = SchemaType<typeof HubState>;
