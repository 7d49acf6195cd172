import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit } from '../../domain/economy/currency.ts';
import { roundFloats, seedCommitment } from '../../domain/rng/fair.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** A toy game for testing the round machinery: even money on f < 0.5. */
function coinFlip(bet: number) {
  return ({ draw }: { draw: { serverSeed: string; clientSeed: string; nonce: number } }) => {
    const [f] = roundFloats(draw, 1);
    const win = f < 0.5;
    return { payout: win ? bet * 2 : 0, multiplier: win ? 200 : 0, outcome: { f, win }, fairness: { version: 'coin-v1' } };
  };
}

describe('game rounds, sessions and fairness (real PostgreSQL)', () => {
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async () => {
    s = await startTestServer('games');
  });
  after(async () => {
    await s?.stop();
  });

  it('plays a round in one transaction: bet and win ledgered against the round, nonce advanced, session totals kept', async () => {
    const u = await signup(s.http);
    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'room1');
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(await s.services.games.playRound({ userId: u.userId, sessionId, game: 'slot', bet: 10, decide: coinFlip(10) }));
    expect(results.map((r) => r.fairness.nonce)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    const won = results.reduce((a, r) => a + r.payout, 0);
    expect(results[5].balances.GOLD).to.equal(1000 - 60 + won);

    const ledger = await em().execute<{ reason: string; ref_id: string }[]>(
      `select reason, delta, ref_id from ledger_entries where user_id = ? and reason in ('bet','win') order by id`,
      [u.userId],
    );
    expect(ledger.filter((l: { reason: string }) => l.reason === 'bet')).to.have.length(6);
    for (const l of ledger) expect(results.map((r) => r.roundId)).to.include(l.ref_id);

    const closed = await s.services.games.closeSession(sessionId);
    expect(closed).to.include({ rounds: 6, wagered: 60, won });
    expect(await s.services.games.closeSession(sessionId), 'second close is a no-op').to.equal(null);
    const [stat] = await em().execute('select sessions, rounds, wagered from game_stats where user_id = ?', [u.userId]);
    expect(stat).to.deep.include({ sessions: 1, rounds: 6, wagered: '60' });
    const [user] = await em().execute('select xp, level from users where id = ?', [u.userId]);
    expect(Number(user.xp)).to.equal(6); // 1 XP per 10 GOLD wagered
  });

  it('adds every closed session to the lifetime stats and XP, also when sessions of one player close at once, and levels up at 500 XP', async () => {
    const u = await signup(s.http);
    await s.services.wallet.apply([credit({ userId: u.userId, currency: 'GOLD', amount: 10_000, reason: 'admin_adjust', actor: 'test' })]);
    // three sessions: 2,000 + 1,500 GOLD wagered (350 XP, level 1), then two closing together with 1,000 each (+200 XP)
    const play = async (bets: number[]) => {
      const id = await s.services.games.openSession(u.userId, 'slot', 'room1');
      let won = 0;
      for (const bet of bets)
        won += (await s.services.games.playRound({ userId: u.userId, sessionId: id, game: 'slot', bet, decide: coinFlip(bet) })).payout;
      return { id, won };
    };
    const sessions = [await play([1000, 1000]), await play([1500])];
    for (const x of sessions) await s.services.games.closeSession(x.id);
    const read = async () => {
      const [user] = await em().execute('select xp, level from users where id = ?', [u.userId]);
      const [stat] = await em().execute(
        `select sessions, rounds, wagered::int, won::int, biggest_win::int from game_stats where user_id = ? and game = 'slot'`,
        [u.userId],
      );
      return { xp: Number(user.xp), level: user.level, stat };
    };
    expect(await read()).to.deep.include({ xp: 350, level: 1 });
    const together = [await play([1000]), await play([1000])];
    sessions.push(...together);
    await Promise.all(together.map((x) => s.services.games.closeSession(x.id)));
    const after = await read();
    expect(after).to.deep.include({ xp: 550, level: 2 });
    expect(after.stat).to.deep.include({ sessions: 4, rounds: 5, wagered: 5500, won: sessions.reduce((a, x) => a + x.won, 0) });
  });

  it('refuses a bet above the balance with wallet/insufficient_funds, consuming no nonce and recording nothing', async () => {
    const u = await signup(s.http);
    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'room1');
    const err = await s.services.games.playRound({ userId: u.userId, sessionId, game: 'slot', bet: 5000, decide: coinFlip(5000) }).then(
      () => null,
      (e) => e,
    );
    expect(err).to.be.instanceOf(DomainError).with.property('code', 'wallet/insufficient_funds');
    const rounds = await em().execute('select count(*)::int as n from game_rounds where user_id = ?', [u.userId]);
    expect(rounds[0].n).to.equal(0);
    expect((await s.services.fairness.current(u.userId)).nextNonce).to.equal(0);
  });

  it('publishes the seed commitment, lets the player set a client seed, and reveals on rotation so rounds re-verify', async () => {
    const u = await signup(s.http);
    const before = await s.http.get('/api/fairness/seeds', { token: u.access });
    expect(before.status).to.equal(200);
    const set = await s.http.post('/api/fairness/client-seed', { client_seed: 'my-lucky-seed' }, { token: u.access });
    expect(set.body).to.include({ client_seed: 'my-lucky-seed', server_seed_hash: before.body.server_seed_hash });
    expect((await s.http.post('/api/fairness/client-seed', { client_seed: 'has space' }, { token: u.access })).status).to.equal(400);

    const sessionId = await s.services.games.openSession(u.userId, 'slot', 'room1');
    const round = await s.services.games.playRound({ userId: u.userId, sessionId, game: 'slot', bet: 10, decide: coinFlip(10) });
    const hidden = await s.http.get(`/api/fairness/rounds/${round.roundId}`);
    expect(hidden.status).to.equal(200);
    expect(hidden.body.seed).to.include({
      server_seed: null,
      client_seed: 'my-lucky-seed',
      nonce: 0,
      server_seed_hash: before.body.server_seed_hash,
    });

    const rotated = await s.http.post('/api/fairness/rotate', undefined, { token: u.access });
    expect(rotated.status).to.equal(200);
    expect(seedCommitment(rotated.body.previous.server_seed)).to.equal(before.body.server_seed_hash);
    expect(rotated.body.previous.rounds_played).to.equal(1);
    expect(rotated.body.current).to.include({ next_nonce: 0, client_seed: 'my-lucky-seed' });
    expect(rotated.body.current.server_seed_hash).to.not.equal(before.body.server_seed_hash);

    const revealed = await s.http.get(`/api/fairness/rounds/${round.roundId}`);
    const seed = revealed.body.seed;
    expect(seed.server_seed).to.equal(rotated.body.previous.server_seed);
    // re-verify: recompute the outcome from the revealed data alone
    const [f] = roundFloats({ serverSeed: seed.server_seed, clientSeed: seed.client_seed, nonce: seed.nonce }, 1);
    expect(revealed.body.outcome).to.deep.equal({ f, win: f < 0.5 });
    expect(revealed.body.payout).to.equal(f < 0.5 ? 20 : 0);
    expect(revealed.body.algorithm_version).to.equal('coin-v1');
    expect((await s.http.get('/api/fairness/rounds/00000000-0000-4000-8000-000000000000')).status).to.equal(404);
    expect((await s.http.get('/api/fairness/rounds/not-a-uuid')).status).to.equal(400);
  });

  it('sets client seeds while rotations run concurrently: every call succeeds and one seed stays active', async () => {
    const u = await signup(s.http);
    for (let round = 0; round < 6; round++) {
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 ? s.services.fairness.rotate(u.userId) : s.services.fairness.setClientSeed(u.userId, `race-${round}-${i}`),
        ),
      );
    }
    const active = await em().execute('select client_seed from fairness_seeds where user_id = ? and revealed_at is null', [u.userId]);
    expect(active).to.have.length(1);
    const seeds = await s.http.get('/api/fairness/seeds', { token: u.access });
    expect(seeds.status).to.equal(200);
    expect(seeds.body.client_seed).to.equal(active[0].client_seed);
  });

  it('gives concurrent rounds of one player distinct nonces', async () => {
    const u = await signup(s.http);
    const sessionId = await s.services.games.openSession(u.userId, 'gacha', 'room2');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        s.services.games.playRound({ userId: u.userId, sessionId, game: 'gacha', bet: 1, decide: coinFlip(1) }),
      ),
    );
    expect(new Set(results.map((r) => r.fairness.nonce)).size).to.equal(20);
  });
});
