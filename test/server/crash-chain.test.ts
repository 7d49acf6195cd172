import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { crashPointHundredths, nextChainHash } from '../../domain/rng/fair.ts';
import { CRASH_CHAIN_LENGTH, CrashChainService } from '../../server/services/games/crash-chain.service.ts';
import { RecoveryService } from '../../server/services/games/recovery.service.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('crash hash chain and crash bets (real PostgreSQL)', () => {
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async function () {
    this.timeout(60_000);
    s = await startTestServer('crashchain');
  });
  after(async () => {
    await s?.stop();
  });

  it('publishes a chain of at least 1,000,000 links and consumes it in reverse: each round hash hashes to the previous one', async () => {
    const first = await s.services.crash.nextRound('roomA');
    const second = await s.services.crash.nextRound('roomA');
    const third = await s.services.crash.nextRound('roomB');
    const chain = await s.services.crash.publicChain();
    expect(chain.length).to.equal(CRASH_CHAIN_LENGTH).and.to.be.at.least(1_000_000);
    expect(chain.roundsUsed).to.equal(3);
    expect([first.position, second.position, third.position]).to.deep.equal([1, 2, 3]);
    expect(nextChainHash(first.roundHash)).to.equal(chain.terminatingHash);
    expect(nextChainHash(second.roundHash)).to.equal(first.roundHash);
    expect(nextChainHash(third.roundHash)).to.equal(second.roundHash);
    for (const r of [first, second, third]) expect(r.crashPoint).to.equal(crashPointHundredths(r.roundHash, chain.salt));
    const api = await s.http.get('/api/fairness/crash-chain');
    expect(api.body).to.deep.include({ terminating_hash: chain.terminatingHash, salt: chain.salt, length: CRASH_CHAIN_LENGTH });
    expect(JSON.stringify(api.body)).to.not.include(first.roundHash);
  });

  it('settles a bet once: a cash-out racing the crash pays at most once; the ledger ties both rows to the round', async () => {
    const u = await signup(s.http);
    const sessionId = await s.services.games.openSession(u.userId, 'crash', 'roomA');
    const round = await s.services.crash.nextRound('roomA');
    const bet = await s.services.escrow.open({
      userId: u.userId,
      sessionId,
      game: 'crash',
      groupId: round.crashRoundId,
      amount: 100,
      fairness: CrashChainService.fairnessOf(round),
      outcome: { auto_cashout: null },
    });
    expect(bet.balances.GOLD).to.equal(900);
    const [[a], [b]] = await Promise.all([
      s.services.escrow.settle([
        { roundId: bet.roundId, userId: u.userId, sessionId, amount: 100, multiplier: 150, outcome: { reason: 'cashout' } },
      ]),
      s.services.escrow.settle([
        { roundId: bet.roundId, userId: u.userId, sessionId, amount: 100, multiplier: 0, outcome: { reason: 'crashed' } },
      ]),
    ]);
    expect([a, b].filter((x) => x !== null)).to.have.length(1);
    const [row] = await em().execute('select status, payout from game_rounds where id = ?', [bet.roundId]);
    expect(row.status).to.equal('settled');
    const balance = (await s.services.wallet.balances(em(), u.userId)).GOLD;
    expect(balance).to.equal(900 + Number(row.payout));
  });

  it('recovery refunds open bets of a dead instance once, voids its rounds and closes its sessions as recovered', async () => {
    const u = await signup(s.http);
    const sessionId = await s.services.games.openSession(u.userId, 'crash', 'roomC');
    const round = await s.services.crash.nextRound('roomC');
    await s.services.escrow.open({
      userId: u.userId,
      sessionId,
      game: 'crash',
      groupId: round.crashRoundId,
      amount: 250,
      fairness: CrashChainService.fairnessOf(round),
      outcome: { auto_cashout: 200 },
    });
    // this process "restarts": the same instance id recovers its own leftovers
    const recovery = new RecoveryService(s.orm, s.services.escrow, s.services.games, s.services.registry, s.logger);
    const report = await recovery.recover();
    expect(report.refunded).to.equal(1);
    expect(report.sessions).to.be.at.least(1);
    const [cr] = await em().execute('select status from crash_rounds where id = ?', [round.crashRoundId]);
    expect(cr.status).to.equal('voided');
    const again = await recovery.recover();
    expect(again).to.deep.equal({ refunded: 0, settled: 0, sessions: 0, crashRoundsVoided: 0 });
    expect((await s.services.wallet.balances(em(), u.userId)).GOLD).to.equal(1000);
    const [sess] = await em().execute('select status, rounds, wagered from game_sessions where id = ?', [sessionId]);
    expect(sess).to.deep.include({ status: 'recovered', rounds: 0, wagered: '0' });
    const refunds = await em().execute(`select count(*)::int as n from ledger_entries where user_id = ? and reason = 'refund'`, [u.userId]);
    expect(refunds[0].n).to.equal(1);
  });

  it('does not touch open rounds of another instance that is alive', async () => {
    const u = await signup(s.http);
    const sessionId = await s.services.games.openSession(u.userId, 'crash', 'roomD');
    const round = await s.services.crash.nextRound('roomD');
    const bet = await s.services.escrow.open({
      userId: u.userId,
      sessionId,
      game: 'crash',
      groupId: round.crashRoundId,
      amount: 10,
      fairness: CrashChainService.fairnessOf(round),
      outcome: { auto_cashout: null },
    });
    await em().execute(`update game_rounds set owner = 'other-host:1' where id = ?`, [bet.roundId]);
    await s.redis.set(`${s.config.REDIS_PREFIX}proc:other-host:1`, '1', 'EX', 30);
    const recovery = new RecoveryService(s.orm, s.services.escrow, s.services.games, s.services.registry, s.logger);
    await recovery.recover();
    const [row] = await em().execute('select status from game_rounds where id = ?', [bet.roundId]);
    expect(row.status).to.equal('open');
    await s.redis.del(`${s.config.REDIS_PREFIX}proc:other-host:1`);
    await recovery.recover();
    const [after] = await em().execute('select status from game_rounds where id = ?', [bet.roundId]);
    expect(after.status).to.equal('refunded');
  });
});
