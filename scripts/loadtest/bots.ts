import { Client, type Room } from '@colyseus/sdk';

export type Scenario = 'slot' | 'crash' | 'rps' | 'gacha' | 'http';
export const SCENARIOS: Scenario[] = ['slot', 'crash', 'rps', 'gacha', 'http'];

/** How a mixed population splits (cumulative thresholds over the bot index). */
const MIX: Array<[number, Scenario]> = [
  [0.4, 'slot'],
  [0.65, 'crash'],
  [0.75, 'rps'],
  [0.85, 'gacha'],
  [1, 'http'],
];
export function scenarioFor(mix: string, i: number, n: number): Scenario {
  if (mix !== 'mixed') return mix as Scenario;
  const f = (i + 0.5) / n;
  return MIX.find(([t]) => f <= t)![1];
}

export interface BotEnv {
  url: string;
  /** a latency: an action's round trip, or (`join`) a room join, which the report also lists apart */
  record: (ms: number, what?: 'join') => void;
  error: (kind: string) => void;
  /** a game rule said no (bets closed, not enough GOLD), or the server asked to come back (`service/busy`): counted, not an error */
  rejected: (kind: string) => void;
  action: () => void;
  connected: (delta: number) => void;
  until: number;
  /** a slot player's pause between spins, [min, max] ms; 0.4–1.2 s (a busy player) unless given */
  slotThinkMs?: [number, number];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const think = (min: number, max: number) => sleep(min + Math.random() * (max - min));

async function http(env: BotEnv, method: string, path: string, token?: string, body?: unknown) {
  const t0 = performance.now();
  const res = await fetch(env.url + path, {
    signal: AbortSignal.timeout(20_000),
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    ms: performance.now() - t0,
    body: text ? JSON.parse(text) : undefined,
    retryAfter: res.headers.get('retry-after'),
  };
}

/** A bot's account: its name and, once it has logged in, the refresh token a later run can come back with. */
export interface BotAccount {
  username: string;
  refreshToken?: string;
}

/**
 * Gets the bot an access token. A bot with a refresh token from an earlier run comes back through
 * `/auth/refresh` (no password hash, as a returning player would); otherwise it signs up, or logs in if the name
 * exists. A server at its password-hashing capacity answers 503 `service/busy` with Retry-After: the bot waits that
 * long (with jitter) and tries again, for up to a minute; each such answer is counted as a rejection, not an error.
 * Returns the access token and updates `account.refreshToken`.
 */
export async function enroll(env: BotEnv, account: BotAccount): Promise<string> {
  const { username } = account;
  if (account.refreshToken) {
    const r = await http(env, 'POST', '/api/auth/refresh', undefined, { refresh_token: account.refreshToken });
    account.refreshToken = undefined;
    if (r.status === 200) {
      account.refreshToken = r.body.refresh_token;
      return r.body.access_token as string;
    }
  }
  const password = `lt-${username}-pw`;
  const giveUpAt = Date.now() + 60_000;
  for (;;) {
    let r = await http(env, 'POST', '/api/auth/signup', undefined, { username, password });
    if (r.status === 409) r = await http(env, 'POST', '/api/auth/login', undefined, { username, password });
    if (r.status === 503 && r.body?.error === 'service/busy' && Date.now() < giveUpAt) {
      env.rejected('service/busy');
      await sleep((Number(r.retryAfter) || 1) * 1000 * (0.5 + Math.random()));
      continue;
    }
    if (r.status >= 300) throw new Error(`enroll_${r.status}`);
    account.refreshToken = r.body.refresh_token;
    return r.body.access_token as string;
  }
}

/** Sends a message and resolves with the round trip to the first reply of one of `replies` (or an `error`). */
function ask(
  room: Room,
  type: string,
  payload: unknown,
  replies: string[],
  timeoutMs = 15_000,
): Promise<{ type: string; ms: number; msg: any }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const offs: Array<() => void> = [];
    const done = (t: string) => (msg: any) => {
      offs.forEach((o) => o());
      clearTimeout(timer);
      resolve({ type: t, ms: performance.now() - t0, msg });
    };
    for (const r of [...replies, 'error']) offs.push(room.onMessage(r, done(r)));
    const timer = setTimeout(() => {
      offs.forEach((o) => o());
      reject(new Error(`timeout waiting for ${replies.join('|')}`));
    }, timeoutMs);
    room.send(type, payload);
  });
}

/**
 * Joins a room (timed as a join): through Colyseus's joinOrCreate, or for an RPS duel with the seat the server's pairing
 * gives (`POST /api/games/rps/seat`, as the game client does).
 */
async function join(env: BotEnv, token: string, name: string, options: Record<string, unknown> = {}) {
  const client = new Client(env.url);
  client.auth.token = token;
  const t0 = performance.now();
  const joining = async () => {
    if (name !== 'rps') return client.joinOrCreate(name, options);
    const r = await http(env, 'POST', '/api/games/rps/seat', token, options);
    if (r.status !== 200) throw new Error(`seat_${r.status}`);
    return client.consumeSeatReservation(r.body);
  };
  const room = await Promise.race([
    joining(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('join_timeout')), 20_000)),
  ]);
  env.record(performance.now() - t0, 'join');
  room.onMessage('*', () => undefined);
  env.connected(1);
  room.onLeave(() => env.connected(-1));
  return room;
}

function count(env: BotEnv, r: { type: string; ms: number; msg: any }) {
  if (r.type === 'error') {
    const code = String(r.msg?.code ?? 'error');
    if (/^(game|wallet)\//.test(code)) env.rejected(code);
    else env.error(code);
    env.record(r.ms);
    return false;
  }
  env.record(r.ms);
  env.action();
  return true;
}

/** One simulated player: plays its scenario with realistic think times until the deadline. */
export async function runBot(env: BotEnv, scenario: Scenario, token: string): Promise<void> {
  if (scenario === 'http') {
    while (Date.now() < env.until) {
      for (const path of ['/api/dashboard', '/api/wallet', '/api/missions']) {
        const r = await http(env, 'GET', path, token);
        if (r.status >= 400) env.error(`http_${r.status}`);
        else {
          env.record(r.ms);
          env.action();
        }
      }
      await think(1000, 3000);
    }
    return;
  }
  if (scenario === 'rps') {
    while (Date.now() < env.until) {
      const room = await join(env, token, 'rps', { stake: 10 });
      const result = new Promise<void>((resolve) => {
        room.onMessage('result', () => resolve());
        setTimeout(resolve, 20_000);
      });
      while ((room.state as any)?.phase !== 'picking' && Date.now() < env.until + 15_000) await sleep(200);
      const r = await ask(room, 'pick', { pick: ['rock', 'paper', 'scissors'][Math.floor(Math.random() * 3)] }, ['pick_accepted']).catch(
        () => null,
      );
      if (r) count(env, r);
      else env.error('timeout');
      await result;
      await room.leave().catch(() => undefined);
      await think(500, 1500);
    }
    return;
  }
  const room = scenario === 'gacha' ? await join(env, token, 'gacha', { banner: 'neon-standard' }) : await join(env, token, scenario);
  try {
    while (Date.now() < env.until && room.connection.isOpen) {
      if (scenario === 'slot') {
        const r = await ask(room, 'spin', { betPerLine: 1 }, ['spin_result']);
        if (!count(env, r) && r.msg?.code === 'wallet/insufficient_funds') break;
        await think(...(env.slotThinkMs ?? [400, 1200]));
      } else if (scenario === 'gacha') {
        const r = await ask(room, 'pull', { count: 1 }, ['pull_result']);
        if (!count(env, r) && r.msg?.code === 'wallet/insufficient_funds') break;
        await think(1500, 3000);
      } else {
        const st = room.state as any;
        if (st?.phase !== 'betting' || !(st.bettingEndsAt - Date.now() > 300)) {
          await sleep(250);
          continue;
        }
        const r = await ask(room, 'bet', { amount: 10, autoCashout: 110 + Math.floor(Math.random() * 190) }, ['bet_placed']);
        if (!count(env, r) && r.msg?.code === 'wallet/insufficient_funds') break;
        while (Date.now() < env.until && (room.state as any)?.phase === 'betting') await sleep(200);
      }
    }
  } finally {
    await room.leave().catch(() => undefined);
  }
}
