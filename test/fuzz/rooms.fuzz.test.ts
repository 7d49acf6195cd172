import { expect } from 'chai';
import { startServer, type RunningServer } from '../../server/bootstrap.ts';
import { captureLogger } from '../helpers/capture-logger.ts';
import { HttpClient, signup, testConfig } from '../helpers/test-server.ts';
import { eventually, joinAs } from '../helpers/room-client.ts';
import { afterRoomFuzz, internalFailures, runRoomFuzz, type FuzzPlayer } from './room-fuzz.ts';

/**
 * A short seeded slice of the room fuzzer in `npm test` (`npm run fuzz -- --minutes N` runs it for long).
 * FUZZ_SEED replays a run; FUZZ_ROOM_STEPS sets its length.
 */
describe('room fuzz (seeded slice)', function () {
  this.timeout(180_000);
  let server: RunningServer;
  const log = captureLogger();
  const seed = Number(process.env.FUZZ_SEED ?? 20261202);
  const steps = Number(process.env.FUZZ_ROOM_STEPS ?? 400);

  before(async () => {
    const config = await testConfig('roomfuzz', {
      ROOM_RECONNECT_SECONDS: 2,
      RPS_HOUSE_AFTER_MS: 300,
      RPS_PICK_TIMEOUT_MS: 1000,
      CRASH_BETTING_MS: 800,
      CRASH_PAUSE_MS: 200,
      CRASH_TIME_SCALE: 20,
    });
    server = await startServer(config, { logger: log.logger });
  });
  after(async () => {
    await server?.stop();
  });

  it(`keeps every room up and every seat and stake accounted for under hostile clients (seed ${seed})`, async () => {
    const http = new HttpClient(server.url);
    const players: FuzzPlayer[] = await Promise.all(Array.from({ length: 6 }, () => signup(http)));
    const before = await internalFailures(server.url);
    const result = await runRoomFuzz({ baseUrl: server.url, players, seed, steps, log: (l) => console.log(`      ${l}`) });
    const problems = await afterRoomFuzz({
      baseUrl: server.url,
      orm: server.orm,
      userIds: players.map((p) => p.userId),
      internalFailuresBefore: before,
    });
    const errors = log.errors().map((l) => `${l.msg} ${JSON.stringify(l.err ?? l).slice(0, 300)}`);
    expect(result.failures, `replay with FUZZ_SEED=${seed}`).to.deep.equal([]);
    expect(problems, `replay with FUZZ_SEED=${seed}`).to.deep.equal([]);
    if (errors.length) console.log(errors.join('\n'));
    expect(errors, `error-level log lines (replay with FUZZ_SEED=${seed})`).to.deep.equal([]);
    expect(result.messages + result.frames, 'the script reached the rooms').to.be.greaterThan(steps / 4);
  });

  it('counts undecodable and oversized frames (colyseus_bad_frames_total) instead of logging them as errors', async () => {
    const u = await signup(new HttpClient(server.url));
    const metric = async () =>
      Number((await (await fetch(`${server.url}/metrics`)).text()).match(/^colyseus_bad_frames_total (\d+)/m)?.[1] ?? 0);
    const before = await metric();
    const errorsBefore = log.errors().length;
    for (const frame of [
      Buffer.from([13, 0xa4, 0x73, 0x70, 0x69, 0x6e, 0x92, 0x01]),
      Buffer.concat([Buffer.from([13, 0xa4, 0x73, 0x70, 0x69, 0x6e]), Buffer.alloc(8000, 0x91)]),
    ]) {
      const room = await joinAs(server.url, u.access, 'slot');
      room.reconnection.enabled = false;
      const counted = await metric();
      room.connection.send(frame); // the framework disconnects the sender
      await eventually(metric, (n) => n > counted, 3000);
    }
    await eventually(metric, (n) => n >= before + 2, 3000);
    expect(await metric()).to.equal(before + 2);
    expect(
      log
        .errors()
        .slice(errorsBefore)
        .map((l) => l.msg),
    ).to.deep.equal([]);
  });
});
