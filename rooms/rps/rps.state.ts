import { schema, t, type SchemaType } from '@colyseus/schema';

/** A seat (`a` or `b`). `pick` is only visible to the seat's own client until the reveal (StateView). */
export const RpsSeatState = schema(
  {
    userId: t.string().default(''),
    username: t.string().default(''),
    isHouse: t.boolean().default(false),
    hasPicked: t.boolean().default(false),
    pick: t.string().default('').view(),
    /** both picks are copied here at the reveal ('' = no pick: forfeit) */
    revealed: t.string().default(''),
    payout: t.uint32().default(0),
  },
  'RpsSeatState',
);

export const RpsState = schema(
  {
    /** waiting (for an opponent) | picking | done */
    phase: t.string().default('waiting'),
    stake: t.uint32().default(0),
    seats: t.map(RpsSeatState),
    /** server epoch ms by which picks must be in */
    pickDeadline: t.float64().default(0),
    /** a | b | draw | void ('' until done) */
    result: t.string().default(''),
    rake: t.uint32().default(0),
  },
  'RpsState',
);

export type RpsState = SchemaType<typeof RpsState>;
