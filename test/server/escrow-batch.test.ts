import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EscrowService } from '../../server/services/games/escrow.service.ts';
import { sessionTotalsWrite } from '../../server/db/repositories/game-session.repository.ts';
import { reconcileAll } from '../helpers/test-db.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('escrow batches: crash bets opened by group commit, settled and refunded set-based (real PostgreSQL)', () => {
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  before(async function () {
    this.timeout(60_000);
    s = await startTestServer('escrowbatch');
  });
  after(async () => {
    await s?.stop();
  });

  /** An escrow whose openings wait up to 50 ms for each other, one batch at a time; `commits` records each commit's size. */
  function batchedEscrow(maxSize = 64) {
    const commits: number[] = [];
    const escrow = new EscrowService(s.orm, s.services.wallet, s.services.games, { now: () => new Date() }, undefined, {
      windowMs: 50,
      maxSize,
      maxInFlight: 1,
      onCommitted: (n) => commits.push(n),
    });
    return { escrow, commits };
  }

  async function seated(n: number) {
    const round = await s.services.crash.nextRound('batch-room');
    const players = [];
    for (let i = 0; i < n; i++) {
      const u = await signup(s.http);
      players.push({ ...u, sessionId: await s.services.games.openSession(u.userId, 'crash', 'batch-room') });
    }
    return { round, players };
  }

  const stake = (p: { userId: string; sessionId: string }, groupId: string, amount = 100) => ({
    userId: p.userId,
    sessionId: p.sessionId,
    game: 'crash' as const,
    groupId,
    amount,
    fairness: { test: true },
    outcome: { auto_cashout: null },
  });

  it('commits many concurrent bets together: fewer transactions than bets, each with its debit, ledger row, open round and session totals', async function () {
    this.timeout(60_000);
    const { escrow, commits } = batchedEscrow();
    const { round, players } = await seated(20);
    const opened = await Promise.all(players.map((p) => escrow.open(stake(p, round.crashRoundId))));
    expect(commits.reduce((a, b) => a + b, 0)).to.equal(20);
    expect(commits.length).to.be.lessThan(20);
    expect(opened.every((o) => o.balances.GOLD === 900)).to.equal(true);
    const rows = await em().execute<Array<{ status: string; bet: string; n: number }>>(
      `select r.status, r.bet, (select count(*)::int from ledger_entries l where l.ref_id = r.id::text and l.reason = 'bet') as n
         from game_rounds r where r.group_id = ?`,
      [round.crashRoundId],
    );
    expect(rows).to.have.length(20);
    expect(rows.every((r) => r.status === 'open' && Number(r.bet) === 100 && r.n === 1)).to.equal(true);
    const [totals] = await em().execute<Array<{ rounds: number; wagered: string }>>(
      'select rounds, wagered from game_sessions where id = ?',
      [players[0].sessionId],
    );
    expect([totals.rounds, Number(totals.wagered)]).to.deep.equal([1, 100]);
    expect(await reconcileAll()).to.deep.equal([]);
  });

  it("refuses a bet its wallet cannot pay alone, with its own error, while the batch's other bets commit", async function () {
    this.timeout(60_000);
    const { escrow, commits } = batchedEscrow();
    const { round, players } = await seated(5);
    const results = await Promise.allSettled(players.map((p, i) => escrow.open(stake(p, round.crashRoundId, i === 2 ? 5000 : 100))));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.code).to.equal('wallet/insufficient_funds');
    expect(commits).to.deep.equal([4]);
    expect((await s.services.wallet.balances(em(), players[2].userId)).GOLD).to.equal(1000);
    const [{ n }] = await em().execute('select count(*)::int as n from game_rounds where group_id = ?', [round.crashRoundId]);
    expect(n).to.equal(4);
  });

  it('falls back to each bet alone when the batch statement fails: the bad bet gets its error, the others commit', async function () {
    this.timeout(60_000);
    const { escrow, commits } = batchedEscrow();
    const { round, players } = await seated(4);
    // a group id longer than its column: the batch's INSERT fails, so nothing of the batch commits
    const results = await Promise.allSettled(players.map((p, i) => escrow.open(stake(p, i === 1 ? 'x'.repeat(80) : round.crashRoundId))));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(commits).to.deep.equal([1, 1, 1]);
    expect((await s.services.wallet.balances(em(), players[1].userId)).GOLD).to.equal(1000);
    expect(await reconcileAll()).to.deep.equal([]);
  });

  it('settles a whole round in one call: wins credited, losses recorded, a second settlement and a duplicate are no-ops', async function () {
    this.timeout(60_000);
    const { escrow } = batchedEscrow();
    const { round, players } = await seated(6);
    const opened = await Promise.all(players.map((p) => escrow.open(stake(p, round.crashRoundId))));
    const list = players.map((p, i) => ({
      roundId: opened[i].roundId,
      userId: p.userId,
      sessionId: p.sessionId,
      amount: 100,
      multiplier: i % 2 === 0 ? 150 : 0,
      outcome: { reason: i % 2 === 0 ? 'cashout' : 'crashed' },
    }));
    const results = await escrow.settle([...list, list[0]], 'crash');
    expect(results.map((r) => r?.payout ?? null)).to.deep.equal([150, 0, 150, 0, 150, 0, null]);
    expect(results[0]!.balances.GOLD).to.equal(1050);
    expect(results[1]!.balances.GOLD).to.equal(900);
    expect(await escrow.settle(list)).to.deep.equal(list.map(() => null));
    const [totals] = await em().execute<Array<{ won: string; wins: number; biggest_multiplier: number }>>(
      'select won, wins, biggest_multiplier from game_sessions where id = ?',
      [players[0].sessionId],
    );
    expect([Number(totals.won), totals.wins, totals.biggest_multiplier]).to.deep.equal([150, 1, 150]);
    const [{ n }] = await em().execute(
      `select count(*)::int as n from outbox where event_type = 'round_settled' and payload->>'round_id' in (?)`,
      [opened.map((o) => o.roundId)],
    );
    expect(n).to.equal(6);
    expect(await reconcileAll()).to.deep.equal([]);
  });

  it('refunds many open stakes in one call, each once', async function () {
    this.timeout(60_000);
    const { escrow } = batchedEscrow();
    const { round, players } = await seated(3);
    const opened = await Promise.all(players.map((p) => escrow.open(stake(p, round.crashRoundId))));
    const list = players.map((p, i) => ({ roundId: opened[i].roundId, userId: p.userId, sessionId: p.sessionId, amount: 100 }));
    const balances = await escrow.refundMany(list);
    expect(balances.map((b) => b?.GOLD)).to.deep.equal([1000, 1000, 1000]);
    expect(await escrow.refundMany(list)).to.deep.equal([null, null, null]);
    const [totals] = await em().execute<Array<{ rounds: number; wagered: string }>>(
      'select rounds, wagered from game_sessions where id = ?',
      [players[0].sessionId],
    );
    expect([totals.rounds, Number(totals.wagered)]).to.deep.equal([0, 0]);
    expect(await reconcileAll()).to.deep.equal([]);
  });

  it('joins a batch of one row by index, not by scanning the table: the session totals on 20,000 sessions', async function () {
    this.timeout(30_000);
    const u = await signup(s.http);
    const conn = em().getConnection();
    await conn.execute(
      `insert into game_sessions (id, user_id, game, room_id, owner, started_at, status)
       select gen_random_uuid(), ?, 'slot', 'bench', 'test', now(), 'closed' from generate_series(1, 20000)`,
      [u.userId],
    );
    await conn.execute('analyze game_sessions');
    const [one] = await conn.execute<Array<{ id: string }>>('select id from game_sessions where user_id = ? limit 1', [u.userId]);
    const write = sessionTotalsWrite([
      { id: one.id, rounds: 1, wagered: 10, won: 0, wins: 0, pulls: 0, biggestWin: 0, biggestMultiplier: 0 },
    ]);
    const [plan] = await conn.execute<Array<{ 'QUERY PLAN': unknown }>>(`explain (format json) ${write.sql}`, write.params);
    const nodes: Array<Record<string, unknown>> = [];
    const walk = (n: Record<string, unknown>) => {
      nodes.push(n);
      for (const c of (n.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(c);
    };
    walk((plan['QUERY PLAN'] as Array<{ Plan: Record<string, unknown> }>)[0].Plan);
    const on = nodes
      .filter((n) => n['Relation Name'] === 'game_sessions' && n['Node Type'] !== 'ModifyTable')
      .map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`.trim());
    expect(on, 'how the one-row update reaches game_sessions').to.deep.equal(['Index Scan game_sessions_pkey']);
  });
});
