import { expect } from 'chai';
import { startServer, type RunningServer } from '../../server/bootstrap.ts';
import { captureLogger } from '../helpers/capture-logger.ts';
import { HttpClient, signup, testConfig } from '../helpers/test-server.ts';
import { formatResult, ok, runHttpFuzz } from './http-fuzz.ts';
import { afterRoomFuzz, internalFailures, runRoomFuzz, type FuzzPlayer } from './room-fuzz.ts';

/**
 * `npm run fuzz -- --minutes N [--seed S]`: the room and HTTP fuzzers against one server for N minutes, half the
 * time each, alternating; every room script is followed by the after-run invariants. Not part of `npm test`
 * (its seeded slices are: test/fuzz/*.fuzz.test.ts).
 */
const minutes = Number(process.env.FUZZ_MINUTES ?? 1);
const seed0 = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

describe(`fuzz for ${minutes} min (first seed ${seed0})`, function () {
  this.timeout((minutes + 5) * 60_000);
  let server: RunningServer & { config?: unknown };
  const log = captureLogger();

  before(async () => {
    const config = await testConfig('longfuzz', {
      ROOM_RECONNECT_SECONDS: 2,
      RPS_HOUSE_AFTER_MS: 300,
      RPS_PICK_TIMEOUT_MS: 1000,
      CRASH_BETTING_MS: 800,
      CRASH_PAUSE_MS: 200,
      CRASH_TIME_SCALE: 20,
    });
    server = Object.assign(await startServer(config, { logger: log.logger }), { config });
  });
  after(async () => {
    await server?.stop();
  });

  it('holds every invariant', async () => {
    const end = Date.now() + minutes * 60_000;
    const http = new HttpClient(server.url);
    const totals = { scripts: 0, steps: 0, joins: 0, messages: 0, frames: 0, drops: 0, leaves: 0, httpRequests: 0 };
    const problems: string[] = [];
    for (let seed = seed0; Date.now() < end && problems.length === 0; seed++) {
      // new players for every script: access tokens expire after 15 minutes, and wallets run dry
      const players: FuzzPlayer[] = await Promise.all(Array.from({ length: 8 }, () => signup(http)));
      const before = await internalFailures(server.url);
      const r = await runRoomFuzz({ baseUrl: server.url, players, seed, steps: 600 });
      Object.assign(totals, {
        scripts: totals.scripts + 1,
        steps: totals.steps + r.steps,
        joins: totals.joins + r.joins,
        messages: totals.messages + r.messages,
        frames: totals.frames + r.frames,
        drops: totals.drops + r.drops,
        leaves: totals.leaves + r.leaves,
      });
      problems.push(
        ...r.failures,
        ...(
          await afterRoomFuzz({
            baseUrl: server.url,
            orm: server.orm,
            userIds: players.map((p) => p.userId),
            internalFailuresBefore: before,
          })
        ).map((p) => `room seed ${seed}: ${p}`),
      );
      const h = await runHttpFuzz({ baseUrl: server.url, seed, deadline: Math.min(end, Date.now() + 20_000), services: server as never });
      totals.httpRequests += h.requests;
      if (!ok(h)) problems.push(`http seed ${seed}:\n${formatResult(h)}`);
      console.log(`      ${new Date().toISOString()} seed ${seed}: ${JSON.stringify(totals)}`);
    }
    problems.push(...log.errors().map((l) => `error log: ${l.msg} ${JSON.stringify(l.err ?? '').slice(0, 300)}`));
    console.log(`      fuzz totals: ${JSON.stringify(totals)}`);
    expect(problems).to.deep.equal([]);
  });
});
