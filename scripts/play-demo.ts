// `npm run demo:play -- [--url http://localhost:2567]`: plays every game as a new player would, with @colyseus/sdk
// against a running server, and checks that balances move exactly as the ledger says and that rounds re-verify
// after a seed rotation. Prints what it did; exits 1 on any mismatch.
import { Client, type Room } from '@colyseus/sdk';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
};
const base = arg('url', 'http://localhost:2567');
let failures = 0;
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

async function api(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Accepts every message type (the demo only waits for a few). */
function quiet(room: Room): Room {
  room.onMessage('*', () => undefined);
  return room;
}

function next(room: Room, type: string, timeoutMs = 60_000): Promise<any> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const off = room.onMessage(type, (m) => {
      clearTimeout(t);
      off();
      resolve(m);
    });
  });
}

const username = `demo_${Date.now().toString(36)}`.slice(0, 20);
const signup = await api('POST', '/api/auth/signup', undefined, { username, password: 'demo-password-1' });
check(signup.status === 201, `signed up ${username}`);
const token: string = signup.body.access_token;
const client = new Client(base);
client.auth.token = token;
const rounds: string[] = [];

const gacha = quiet(await client.joinOrCreate('gacha', { banner: 'neon-standard' }));
gacha.send('pull', { count: 1 });
const pull = await next(gacha, 'pull_result');
rounds.push(pull.round_id);
console.log(`     gacha pull (100 GOLD): ${pull.pulls[0].rarity} ${pull.pulls[0].itemId}`);
await gacha.leave();

const slot = quiet(await client.joinOrCreate('slot'));
for (let i = 0; i < 5; i++) {
  slot.send('spin', { betPerLine: 1 }); // 20 GOLD a spin
  const r = await next(slot, 'spin_result');
  rounds.push(r.round_id);
  console.log(`     slot spin: bet ${r.bet}, paid ${r.total_payout}, GOLD ${r.balances.GOLD}`);
}
await slot.leave();

const rps = quiet(await client.joinOrCreate('rps', { stake: 10 }));
await new Promise((r) => setTimeout(r, 3500)); // no opponent: the house takes the other seat
rps.send('pick', { pick: 'rock' });
const duel = await next(rps, 'result');
console.log(`     rps: ${JSON.stringify(duel.picks)} → ${duel.result}`);
await rps.leave();

const crash = quiet(await client.joinOrCreate('crash'));
const bet = await new Promise<any>((resolve) => {
  const tryBet = () => crash.send('bet', { amount: 10, autoCashout: 120 });
  crash.onMessage('error', () => setTimeout(tryBet, 500));
  crash.onMessage('bet_placed', resolve);
  tryBet();
});
rounds.push(bet.round_id);
const crashed = await next(crash, 'crashed');
console.log(`     crash: bet 10 at auto 1.20x; crashed at ${(crashed.crash_point / 100).toFixed(2)}x`);
await crash.leave();

await new Promise((r) => setTimeout(r, 500));
const wallet = await api('GET', '/api/wallet', token);
let sum = 0;
for (
  let cursor: number | null | undefined, page;
  (page = await api('GET', `/api/wallet/ledger?limit=100${cursor ? `&cursor=${cursor}` : ''}`, token)), true;
) {
  sum += page.body.entries
    .filter((e: { currency: string }) => e.currency === 'GOLD')
    .reduce((a: number, e: { delta: number }) => a + e.delta, 0);
  cursor = page.body.next_cursor;
  if (!cursor) break;
}
check(wallet.body.balances.GOLD === sum, `GOLD ${wallet.body.balances.GOLD} equals the sum of the ledger (${sum})`);

const rotated = await api('POST', '/api/fairness/rotate', token, {});
check(rotated.status === 200, 'rotated the seed (the old server seed is revealed)');
for (const id of rounds) {
  const rec = await api('GET', `/api/fairness/rounds/${id}`);
  check(
    rec.body.verification?.verifiable === true && rec.body.verification?.matches === true,
    `${rec.body.game} round ${id} re-verifies: ${rec.body.verification?.detail}`,
  );
}
console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
