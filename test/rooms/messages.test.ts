import { expect } from 'chai';
import type { Room } from '@colyseus/sdk';
import { z } from 'zod';
import { CrashServerMessages } from '../../rooms/crash/crash.messages.ts';
import { GachaServerMessages } from '../../rooms/gacha/gacha.messages.ts';
import { HubServerMessages } from '../../rooms/hub/hub.messages.ts';
import { RpsServerMessages } from '../../rooms/rps/rps.messages.ts';
import { SlotServerMessages } from '../../rooms/slot/slot.messages.ts';
import { eventually, Inbox, joinAs } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

type Schemas = Record<string, z.ZodType>;

/** Every message a room sends, recorded from the join on. */
function record(room: Room): Array<{ type: string; payload: unknown }> {
  const seen: Array<{ type: string; payload: unknown }> = [];
  room.onMessage('*', (type: string | number, payload: unknown) => seen.push({ type: String(type), payload }));
  return seen;
}

/**
 * Checks each recorded message against the room's outbound schemas: a known type, a payload that parses, and (but
 * for `error`, which carries the rule's details, and payloads declared open) no field the schema does not name.
 */
function expectConforming(schemas: Schemas, seen: Array<{ type: string; payload: unknown }>, expectedTypes: string[]): void {
  expect(seen.map((m) => m.type)).to.include.members(expectedTypes);
  for (const { type, payload } of seen) {
    const schema = schemas[type];
    expect(schema, `"${type}" is declared`).to.not.equal(undefined);
    const strict = schema instanceof z.ZodObject && type !== 'error' ? schema.strict() : schema;
    const parsed = strict.safeParse(payload);
    expect(parsed.success, `"${type}" ${JSON.stringify(payload)}: ${parsed.error?.message}`).to.equal(true);
  }
}

describe('room messages follow their schemas', function () {
  this.timeout(60_000);
  let s: TestServer;
  before(async () => {
    s = await startTestServer('roommessages', { RPS_HOUSE_AFTER_MS: 300, CRASH_BETTING_MS: 700, CRASH_PAUSE_MS: 200, CRASH_TIME_SCALE: 8 });
  });
  after(async () => {
    await s?.stop();
  });

  it('slot: machine, spin_result and error', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'slot');
    const seen = record(room);
    const inbox = new Inbox(room);
    try {
      await inbox.next('machine');
      room.send('spin', { betPerLine: 1, ref: 'r1' });
      await inbox.next('spin_result');
      room.send('spin', { betPerLine: 3 });
      await inbox.next('error');
      expectConforming(SlotServerMessages, seen, ['machine', 'spin_result', 'error']);
    } finally {
      await room.leave();
    }
  });

  it('gacha: banner and pull_result', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'gacha', { banner: 'neon-standard' });
    const seen = record(room);
    const inbox = new Inbox(room);
    try {
      await inbox.next('banner');
      room.send('pull', { count: 1 });
      await inbox.next('pull_result');
      expectConforming(GachaServerMessages, seen, ['banner', 'pull_result']);
    } finally {
      await room.leave();
    }
  });

  it('rps against the house: seat, pick_accepted, result and balances', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'rps', { stake: 37 });
    const seen = record(room);
    const inbox = new Inbox(room);
    try {
      await inbox.next('seat');
      await eventually(
        () => (room.state as any)?.phase,
        (p) => p === 'picking',
      );
      room.send('pick', { pick: 'rock', ref: 'p' });
      await inbox.next('pick_accepted');
      await inbox.next('result');
      await inbox.next('balances');
      expectConforming(RpsServerMessages, seen, ['seat', 'pick_accepted', 'result', 'balances']);
    } finally {
      await room.leave();
    }
  });

  it('crash: bet_placed and crashed', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'crash');
    const seen = record(room);
    const inbox = new Inbox(room);
    try {
      await eventually(
        () => room.state as any,
        (st) => st?.phase === 'betting' && st.bettingEndsAt - Date.now() > 300,
        10_000,
      );
      room.send('bet', { amount: 10, autoCashout: 101 });
      const placed = await inbox.next('bet_placed');
      await inbox.next('crashed', (c) => c.crash_round_id === placed.crash_round_id, 20_000);
      expectConforming(CrashServerMessages, seen, ['bet_placed', 'crashed']);
    } finally {
      await room.leave();
    }
  });

  it('hub: welcome and pong', async () => {
    const u = await signup(s.http);
    const room = await joinAs(s.url, u.access, 'hub');
    const seen = record(room);
    const inbox = new Inbox(room);
    try {
      await inbox.next('welcome');
      room.send('ping');
      await inbox.next('pong');
      expectConforming(HubServerMessages, seen, ['welcome', 'pong']);
    } finally {
      await room.leave();
    }
  });
});
