/**
 * Room fuzzer: hostile clients against every game room and the hub, through the real matchmaking route and
 * WebSockets. From a seed, fast-check draws a script of steps for a few players: joins (with valid, odd and hostile
 * options, several at once, second tabs of one login), consented leaves, drops (a network failure: the seat waits
 * for reconnection), reconnections, messages of every known type with valid and hostile payloads (wrong types,
 * huge, negative and fractional numbers, nested and oversized objects, the `"*"` type, unknown types, numeric
 * types) and raw frames (random bytes, room-data frames with undecodable payloads, frames over the size limit).
 * Steps run without waiting for answers, a few milliseconds apart, so joins, leaves and messages race.
 *
 * Checked during the run: every `error` a room sends has a string `code` and `message`. Checked after it (once the
 * players are gone and the rooms had time to settle), by the caller with `afterRoomFuzz`: the server is `/ready`,
 * no room work failed as a bug (`colyseus_room_failures_total{kind="internal"}` did not move), no game session or
 * escrowed stake of the fuzz players is left open, no wallet is negative, the ledger reconciles.
 *
 * Replay: the run prints its seed; the same seed draws the same script (timings still vary: races are real).
 */
import fc from 'fast-check';
import { Client, type Room } from '@colyseus/sdk';
import { encode } from '@colyseus/schema';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';

export interface FuzzPlayer {
  userId: string;
  access: string;
}

export interface RoomFuzzOptions {
  baseUrl: string;
  players: FuzzPlayer[];
  seed: number;
  /** steps in the script */
  steps: number;
  /** ms between steps (0–gap, drawn) */
  gapMs?: number;
  log?: (line: string) => void;
}

export interface RoomFuzzResult {
  seed: number;
  steps: number;
  joins: number;
  refusedJoins: number;
  messages: number;
  frames: number;
  drops: number;
  leaves: number;
  /** `error` answers by code */
  errors: Record<string, number>;
  /** invariant breaches seen during the run */
  failures: string[];
}

const ROOMS = ['slot', 'crash', 'rps', 'gacha', 'hub'] as const;
type RoomName = (typeof ROOMS)[number];

const hostileNumber = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.integer(),
  fc.constantFrom(0, -1, 1e9, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 0.5, 1.5, 1e-9),
  fc.double({ noNaN: false }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileNumber },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 3000, maxLength: 6000 }) },
  {
    weight: 1,
    arbitrary: fc.anything({
      maxDepth: 4,
      withNullPrototype: true,
      withBigInt: false,
      withMap: false,
      withSet: false,
      withTypedArray: false,
      withDate: true,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, true, [], {}, { toString: 1, valueOf: 1 }, { __proto__: { x: 1 } }) },
);
const options = (room: RoomName): fc.Arbitrary<Record<string, unknown>> => {
  if (room === 'rps')
    return fc.oneof(
      { weight: 4, arbitrary: fc.record({ stake: fc.constantFrom(5, 10, 25) }) },
      fc.record({ stake: hostileValue }),
      fc.constant({}),
    );
  if (room === 'gacha')
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant({ banner: 'neon-standard' }) },
      fc.record({ banner: hostileValue }),
      fc.constant({}),
    );
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 3 }) },
  );
};
const validMessage = fc.oneof(
  fc.record({ type: fc.constant('spin'), payload: fc.record({ betPerLine: fc.constantFrom(1, 2, 5) }) }),
  fc.record({
    type: fc.constant('bet'),
    payload: fc.record(
      { amount: fc.constantFrom(1, 5, 10), autoCashout: fc.constantFrom(undefined, 150, 300) },
      { requiredKeys: ['amount'] },
    ),
  }),
  fc.constant({ type: 'cashout', payload: {} }),
  fc.record({ type: fc.constant('pick'), payload: fc.record({ pick: fc.constantFrom('rock', 'paper', 'scissors') }) }),
  fc.record({ type: fc.constant('pull'), payload: fc.record({ count: fc.constantFrom(1, 10) }) }),
  fc.constant({ type: 'ping', payload: undefined }),
);
const hostileMessage = fc.record({
  type: fc.oneof(
    fc.constantFrom('spin', 'bet', 'cashout', 'pick', 'pull', 'ping', '*', '', '__proto__', 'constructor', 'toString'),
    fc.string({ maxLength: 20 }),
    fc.integer(),
  ),
  payload: hostileValue,
});

type Step =
  | { kind: 'join'; player: number; room: RoomName; options: Record<string, unknown>; twice: boolean }
  | { kind: 'send'; conn: number; type: string | number; payload: unknown }
  | { kind: 'frame'; conn: number; bytes: Uint8Array }
  | { kind: 'drop'; conn: number }
  | { kind: 'reconnect'; conn: number }
  | { kind: 'leave'; conn: number }
  | { kind: 'pause'; ms: number };

function stepArb(players: number): fc.Arbitrary<Step> {
  const conn = fc.nat({ max: 63 });
  const room = fc.constantFrom(...ROOMS);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.nat({ max: players - 1 }), room, fc.boolean())
        .chain(([player, r, twice]) =>
          options(r).map((o): Step => ({ kind: 'join', player, room: r, options: o, twice: twice && Math.abs(player) % 3 === 0 })),
        ),
    },
    {
      weight: 8,
      arbitrary: fc.tuple(conn, validMessage).map(([c, m]): Step => ({ kind: 'send', conn: c, type: m.type, payload: m.payload })),
    },
    {
      weight: 5,
      arbitrary: fc.tuple(conn, hostileMessage).map(([c, m]): Step => ({ kind: 'send', conn: c, type: m.type, payload: m.payload })),
    },
    { weight: 2, arbitrary: fc.tuple(conn, frameArb).map(([c, bytes]): Step => ({ kind: 'frame', conn: c, bytes })) },
    { weight: 1, arbitrary: conn.map((c): Step => ({ kind: 'drop', conn: c })) },
    { weight: 1, arbitrary: conn.map((c): Step => ({ kind: 'reconnect', conn: c })) },
    { weight: 2, arbitrary: conn.map((c): Step => ({ kind: 'leave', conn: c })) },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 300 }).map((ms): Step => ({ kind: 'pause', ms })) },
  );
}

/** Raw frames: random bytes, room-data frames with an undecodable or odd payload, and frames over the size limit. */
const frameArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 64 }),
  fc
    .tuple(fc.constantFrom('spin', 'bet', 'pick', 'pull', '*', 'x'), fc.uint8Array({ minLength: 1, maxLength: 48 }))
    .map(([type, junk]) => roomData(type, junk)),
  fc.integer({ min: 5000, max: 20000 }).map((n) => roomData('spin', new Uint8Array(n).fill(0x91))),
  fc.constantFrom(
    new Uint8Array([13]),
    new Uint8Array([13, 0xff]),
    new Uint8Array([21, 0xff, 0xff]),
    new Uint8Array([19]),
    new Uint8Array([20, 0xff]),
    new Uint8Array([17, 1, 2]),
  ),
);

function roomData(type: string, payload: Uint8Array): Uint8Array {
  const head = Buffer.alloc(64);
  const it = { offset: 0 };
  head[it.offset++] = 13; // Protocol.ROOM_DATA
  encode.string(head, type, it);
  return Buffer.concat([head.subarray(0, it.offset), payload]);
}

interface Conn {
  room: Room;
  player: FuzzPlayer;
  name: RoomName;
  token?: string;
  gone: boolean;
}

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref())]);

/** Runs one seeded script; the connections it opened are all left (consented) before it resolves. */
export async function runRoomFuzz(o: RoomFuzzOptions): Promise<RoomFuzzResult> {
  const script = fc.sample(fc.array(stepArb(o.players.length), { minLength: o.steps, maxLength: o.steps }), {
    seed: o.seed,
    numRuns: 1,
  })[0];
  const gaps = fc.sample(fc.integer({ min: 0, max: o.gapMs ?? 15 }), { seed: o.seed + 1, numRuns: o.steps });
  const r: RoomFuzzResult = {
    seed: o.seed,
    steps: 0,
    joins: 0,
    refusedJoins: 0,
    messages: 0,
    frames: 0,
    drops: 0,
    leaves: 0,
    errors: {},
    failures: [],
  };
  const conns: Conn[] = [];
  const refusals: Record<string, number> = {};
  const pending: Array<Promise<unknown>> = [];
  const pick = (i: number) => {
    const live = conns.filter((c) => !c.gone && (c.room.connection.isOpen || c.token));
    return live.length ? live[i % live.length] : undefined;
  };

  /** Checks every `error` the room sends (a string code and message) and swallows the rest. */
  const watch = (room: Room, name: RoomName): Room => {
    room.onMessage('*', () => undefined); // state messages of every room: not what the fuzzer checks
    room.onMessage('error', (payload: unknown) => {
      const e = payload as { code?: unknown; message?: unknown } | undefined;
      if (typeof e?.code !== 'string' || typeof e.message !== 'string')
        r.failures.push(`seed ${o.seed}: ${name} sent an error without code/message: ${JSON.stringify(payload)}`);
      else r.errors[e.code] = (r.errors[e.code] ?? 0) + 1;
    });
    room.onError((code: number, message?: string) => {
      if (code >= 500 && code < 600) r.failures.push(`seed ${o.seed}: ${name} room error ${code} ${message}`);
    });
    return room;
  };

  // a consented leave completes when the room has run onLeave; a room that never lets go is a finding
  const leave = (c: Conn) =>
    withTimeout(c.room.leave(), 15_000).catch((err: Error) => {
      if (/no answer in/.test(err.message)) r.failures.push(`seed ${o.seed}: leaving ${c.name} (room ${c.room.roomId}) hung`);
    });

  const join = async (player: FuzzPlayer, name: RoomName, options: Record<string, unknown>) => {
    const client = new Client(o.baseUrl);
    client.auth.token = player.access;
    try {
      const room = watch(await withTimeout(client.joinOrCreate(name, options), 10_000), name);
      conns.push({ room, player, name, gone: false });
      r.joins++;
    } catch (err) {
      const msg = String((err as Error)?.message ?? err);
      if (/no answer in/.test(msg)) r.failures.push(`seed ${o.seed}: join ${name} ${JSON.stringify(options)} hung`);
      r.refusedJoins++;
      const reason = msg.slice(0, 60);
      refusals[reason] = (refusals[reason] ?? 0) + 1;
    }
  };

  for (const step of script) {
    r.steps++;
    const c = 'conn' in step ? pick(step.conn) : undefined;
    try {
      switch (step.kind) {
        case 'join': {
          const player = o.players[step.player];
          pending.push(join(player, step.room, step.options));
          if (step.twice) pending.push(join(player, step.room, step.options));
          break;
        }
        case 'send':
          if (c && !c.gone && c.room.connection.isOpen) {
            c.room.send(step.type as string, step.payload);
            r.messages++;
          }
          break;
        case 'frame':
          if (c && !c.gone && c.room.connection.isOpen) {
            c.room.connection.send(step.bytes);
            r.frames++;
          }
          break;
        case 'drop':
          if (c && !c.gone && c.room.connection.isOpen) {
            c.token = c.room.reconnectionToken;
            c.room.reconnection.enabled = false;
            c.room.connection.close(4010);
            r.drops++;
          }
          break;
        case 'reconnect':
          if (c?.token) {
            const token = c.token;
            c.token = undefined;
            pending.push(
              withTimeout(new Client(o.baseUrl).reconnect(token), 10_000).then(
                (room: Room) => {
                  c.room = watch(room, c.name);
                },
                () => {
                  c.gone = true;
                },
              ),
            );
          }
          break;
        case 'leave':
          if (c && !c.gone) {
            c.gone = true;
            // the server may have closed it already (a garbage frame ends the connection): nothing to leave then
            if (c.room.connection.isOpen) {
              pending.push(leave(c));
              r.leaves++;
            }
          }
          break;
        case 'pause':
          await new Promise((res) => setTimeout(res, step.ms));
          break;
      }
    } catch (err) {
      // the SDK refusing to encode a payload is the client's problem, not the server's
      if (!/encode|serialize|circular|BigInt/i.test(String((err as Error)?.message))) throw err;
    }
    await new Promise((res) => setTimeout(res, gaps[r.steps - 1] ?? 0));
  }
  await Promise.allSettled(pending);
  await Promise.allSettled(conns.map((c) => (c.room.connection.isOpen ? leave(c) : Promise.resolve())));
  // hostile options are refused, but a script whose every join was refused reached no room at all
  if (r.refusedJoins >= 5 && r.joins === 0)
    r.failures.push(
      `seed ${o.seed}: all ${r.refusedJoins} joins refused (${Object.entries(refusals)
        .map(([k, n]) => `${k} ×${n}`)
        .join('; ')})`,
    );
  o.log?.(
    `room fuzz seed ${o.seed}: ${r.steps} steps, ${r.joins} joins (${r.refusedJoins} refused), ${r.messages} messages, ${r.frames} raw frames, ${r.drops} drops, ${r.leaves} leaves`,
  );
  return r;
}

/** The after-run invariants; returns the breaches (empty when clean). */
export async function afterRoomFuzz(a: {
  baseUrl: string;
  orm: MikroORM;
  userIds: string[];
  internalFailuresBefore: number;
  settleMs?: number;
}): Promise<string[]> {
  const problems: string[] = [];
  const em = () => a.orm.em.fork() as EntityManager;
  const open = async () =>
    (
      await em().execute<{ sessions: number; rounds: number }[]>(
        `select (select count(*)::int from game_sessions where status = 'open' and user_id in (?)) as sessions,
            (select count(*)::int from game_rounds where status = 'open' and user_id in (?)) as rounds`,
        [a.userIds, a.userIds],
      )
    )[0];
  // dropped seats wait out the reconnection window; duels run to their deadline; crash rounds to their crash
  const end = Date.now() + (a.settleMs ?? 30_000);
  let left = await open();
  while ((left.sessions > 0 || left.rounds > 0) && Date.now() < end) {
    await new Promise((res) => setTimeout(res, 250));
    left = await open();
  }
  if (left.sessions > 0) problems.push(`${left.sessions} game sessions left open`);
  if (left.rounds > 0) problems.push(`${left.rounds} escrowed stakes left open`);
  const ready = await fetch(`${a.baseUrl}/ready`);
  if (ready.status !== 200) problems.push(`/ready answered ${ready.status}`);
  const internal = await internalFailures(a.baseUrl);
  if (internal > a.internalFailuresBefore)
    problems.push(`${internal - a.internalFailuresBefore} room failures of kind internal (bugs; see the log)`);
  const negative = (await em().execute<{ n: number }[]>(`select count(*)::int as n from wallets where balance < 0`))[0].n;
  if (negative > 0) problems.push(`${negative} negative wallets`);
  const { drift } = await findDrift(em());
  for (const d of drift) problems.push(`ledger drift: ${d.userId} ${d.currency} ${d.problem}`);
  return problems;
}

/** `colyseus_room_failures_total{kind="internal"}` summed over rooms, from `/metrics`. */
export async function internalFailures(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let n = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('colyseus_room_failures_total{') && line.includes('kind="internal"')) n += Number(line.split(' ').pop());
  return n;
}
