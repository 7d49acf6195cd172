// A short seeded slice of the HTTP fuzzer (test/fuzz/http-fuzz.ts) against a real server with the demo catalog and
// live-ops: every operation of the OpenAPI document gets FUZZ_HTTP_RUNS generated requests (default 60: ~2,300
// requests, 5-15 s on 2 cores); no 5xx, no hang, every 4xx a JSON {error, message}, no stack trace, no auth or
// signature bypass; afterwards /ready is 200, no wallet is negative and the ledger reconciles.
// Another seed: FUZZ_SEED=<n>. Replay a printed failure (one request):
//   FUZZ_SEED=<seed> FUZZ_OP='<METHOD /path>' FUZZ_PATH=<n> npm test -- test/fuzz/http.fuzz.test.ts
// (TEST_LOG_LEVEL=error shows the server's log of it.)
import { expect } from 'chai';
import { startSeededServer, type TestServer } from '../helpers/test-server.ts';
import { formatResult, fuzzHttpOnce } from './http-fuzz.ts';

const DEFAULT_SEED = 20261203;
const env = process.env;
const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : DEFAULT_SEED;
const runs = env.FUZZ_HTTP_RUNS ? Number(env.FUZZ_HTTP_RUNS) : 60;
const only = env.FUZZ_OP || undefined;
const path = env.FUZZ_PATH || undefined;

describe('HTTP fuzz (seeded slice)', function () {
  this.timeout(180_000);
  let s: TestServer;

  before(async () => {
    s = await startSeededServer('httpfuzz');
  });
  after(async () => {
    await s?.stop();
  });

  it(`keeps the HTTP invariants for ${path !== undefined ? `one replayed request of ${only}` : `${runs} requests per operation`} (seed ${seed})`, async () => {
    const result = await fuzzHttpOnce({ baseUrl: s.url, seed, runsPerOperation: runs, only, path, services: s });
    console.log(formatResult(result));
    expect(
      result.failures.map((f) => `${f.op}: ${f.invariant} — ${f.replay}`),
      'fuzz failures (details printed above)',
    ).to.deep.equal([]);
    expect(result.checks.problems, 'post-run checks').to.deep.equal([]);
    expect(result.byStatus.unsent, 'requests the client could not send (a generator bug)').to.equal(0);
  });
});
