import { schema, t, type SchemaType } from '@colyseus/schema';

export const GachaLegendaryState = schema(
  {
    username: t.string().default(''),
    itemId: t.string().default(''),
  },
  'GachaLegendaryState',
);

/** A banner's room: which banner, who is here, and the latest legendary pulls (newest last). */
export const GachaState = schema(
  {
    bannerId: t.string().default(''),
    players: t.uint32().default(0),
    legendaries: t.array(GachaLegendaryState),
  },
  'GachaState',
);

export type GachaState = SchemaType<typeof GachaState>;
