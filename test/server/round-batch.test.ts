import { expect } from 'chai';
import type { EntityManager } from '@mikro-orm/postgresql';
import { credit, debit } from '../../domain/economy/currency.ts';
import { findBanner } from '../../domain/games/gacha/banners.ts';
import { roundFloats } from '../../domain/rng/fair.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import type { RoundDecision, RoundRequest } from '../../server/services/games/game.service.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import { grantItem } from '../../server/db/repositories/inventory.repository.ts';
import { eventually } from '../helpers/room-client.ts';
import { signup, startTestServer, type TestServer } from '../helpers/test-server.ts';

/** Even money on f < 0.5 (the outcome is drawn, so the test checks the ledger against whatever came out). */
function coinFlip(bet: number) {
  return ({ draw }: { draw: { serverSeed: string; clientSeed: string; nonce: number } }): RoundDecision => {
    const [f] = roundFloats(draw, 1);
    return { payout: f < 0.5 ? bet * 2 : 0, multiplier: f < 0.5 ? 200 : 0, outcome: { f } };
  };
}
const always = (payout: number) => (): RoundDecision => ({ payout, multiplier: 0, outcome: { fixed: payout } });

/** The commit-size histogram of the server's /metrics: how many commits and how many round requests in them. */
async function commits(s: TestServer) {
  const text = (await s.http.get('/metrics')).text;
  const read = (name: string) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  return {
    count: read('game_commit_batch_size_count'),
    sum: read('game_commit_batch_size_sum'),
    upTo8: read('game_commit_batch_size_bucket\\{le="8"\\}'),
  };
}

describe('group commit of instant rounds (real PostgreSQL)', function () {
  this.timeout(60_000);
  let s: TestServer;
  const em = () => s.orm.em.fork() as EntityManager;
  // a long window and small batches make the batching visible and deterministic: requests made in one tick share batches
  before(async () => {
    s = await startTestServer('roundbatch', { GAME_COMMIT_WINDOW_MS: 50, GAME_COMMIT_MAX_BATCH: 16, GAME_COMMIT_IN_FLIGHT: 2 });
  });
  after(async () => {
    await s?.stop();
  });

  async function player() {
    const u = await signup(s.http);
    return { ...u, sessionId: await s.services.games.openSession(u.userId, 'slot', 'batch-room') };
  }
  const round = (p: { userId: string; sessionId: string }, bet: number, decide: RoundRequest['decide'] = coinFlip(bet)): RoundRequest => ({
    userId: p.userId,
    sessionId: p.sessionId,
    game: 'slot',
    bet,
    decide,
  });
  const gold = async (userId: string) => (await s.services.wallet.balances(em(), userId)).GOLD;

  it("settles many players' concurrent rounds in a few transactions, each player ledgered exactly and everything reconciling", async () => {
    const players = await Promise.all(Array.from({ length: 40 }, () => player()));
    const before = await commits(s);
    const results = await Promise.all(players.map((p) => s.services.games.playRound(round(p, 10))));
    const after = await commits(s);
    expect(after.sum - before.sum, 'round requests committed').to.equal(40);
    expect(after.count - before.count, 'commits: 16 + 16 at once, the last 8 after the window').to.equal(3);
    expect(after.upTo8 - before.upTo8, 'one commit of at most 8').to.equal(1);

    for (const [i, p] of players.entries()) {
      const r = results[i];
      expect(r.fairness.nonce).to.equal(0);
      expect(r.balances.GOLD).to.equal(1000 - 10 + r.payout);
      expect(await gold(p.userId)).to.equal(r.balances.GOLD);
      const ledger = await em().execute<{ reason: string; delta: string; ref_id: string }[]>(
        `select reason, delta, ref_id from ledger_entries where user_id = ? and ref_type = 'round' order by id`,
        [p.userId],
      );
      expect(ledger.map((l) => [l.reason, Number(l.delta), l.ref_id])).to.deep.equal([
        ['bet', -10, r.roundId],
        ...(r.payout > 0 ? [['win', r.payout, r.roundId]] : []),
      ]);
    }
    const [{ n }] = await em().execute<{ n: number }[]>(
      `select count(*)::int as n from outbox where event_type = 'round_settled' and user_id in (?)`,
      [players.map((p) => p.userId)],
    );
    expect(n).to.equal(40);
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('refuses a round the player cannot afford with its own error, while the other rounds of the batch commit together', async () => {
    const players = await Promise.all(Array.from({ length: 8 }, () => player()));
    const poor = players[3];
    const before = await commits(s);
    const outcomes = await Promise.allSettled(players.map((p) => s.services.games.playRound(round(p, p === poor ? 5000 : 10))));
    const after = await commits(s);

    const refused = outcomes[3];
    expect(refused.status).to.equal('rejected');
    const err = (refused as PromiseRejectedResult).reason;
    expect(err).to.be.instanceOf(DomainError).with.property('code', 'wallet/insufficient_funds');
    expect(err.details).to.deep.include({ currency: 'GOLD', balance: 1000, required: 5000 });
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(7);
    expect([after.count - before.count, after.sum - before.sum], 'one commit of the 7 others').to.deep.equal([1, 7]);

    expect((await s.services.fairness.current(poor.userId)).nextNonce, 'no nonce consumed').to.equal(0);
    const [{ n }] = await em().execute<{ n: number }[]>('select count(*)::int as n from game_rounds where user_id = ?', [poor.userId]);
    expect(n).to.equal(0);
    expect(await gold(poor.userId)).to.equal(1000);
    for (const p of players.filter((x) => x !== poor)) expect((await s.services.fairness.current(p.userId)).nextNonce).to.equal(1);
  });

  it('rolls back a batch whose round broke a statement, then settles every round alone: the broken one fails, the others commit', async () => {
    const players = await Promise.all(Array.from({ length: 5 }, () => player()));
    const broken = players[1];
    const before = await commits(s);
    const outcomes = await Promise.allSettled(
      players.map((p) =>
        s.services.games.playRound(
          round(
            p,
            10,
            p === broken
              ? async ({ em: tx }) => {
                  await tx.execute('select 1 / 0');
                  return always(0)();
                }
              : always(0),
          ),
        ),
      ),
    );
    const after = await commits(s);

    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).to.match(/division by zero/);
    expect([after.count - before.count, after.sum - before.sum], 'four commits of one round each').to.deep.equal([4, 4]);
    expect(await gold(broken.userId)).to.equal(1000);
    expect((await s.services.fairness.current(broken.userId)).nextNonce).to.equal(0);
    for (const p of players.filter((x) => x !== broken)) expect(await gold(p.userId)).to.equal(990);
  });

  it('takes back the rows a round wrote while deciding when that round is then refused', async () => {
    const players = await Promise.all(Array.from({ length: 3 }, () => player()));
    const greedy = players[0];
    const outcomes = await Promise.allSettled(
      players.map((p) =>
        s.services.games.playRound(
          round(
            p,
            10,
            p !== greedy
              ? always(0)
              : async ({ em: tx, roundId }) => {
                  await grantItem(tx, greedy.userId, 'test-trinket', 1, 'test');
                  // an extra debit the player cannot cover: the round is refused after it wrote a row
                  return {
                    ...always(0)(),
                    extraMovements: [
                      debit({ userId: greedy.userId, currency: 'GOLD', amount: 5000, reason: 'bet', refType: 'round', refId: roundId }),
                    ],
                  };
                },
          ),
        ),
      ),
    );
    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason)
      .to.be.instanceOf(DomainError)
      .with.property('code', 'wallet/insufficient_funds');
    const items = await em().execute('select * from inventory_items where user_id = ?', [greedy.userId]);
    expect(items, 'the item granted by the refused round').to.deep.equal([]);
    expect(await gold(greedy.userId)).to.equal(1000);
  });

  it('applies several rounds of one player in one batch in order: nonces, balances and the ledger chain follow each other', async () => {
    const p = await player();
    await s.services.wallet.apply([debit({ userId: p.userId, currency: 'GOLD', amount: 990, reason: 'admin_adjust', actor: 'test' })]);
    const other = await player();
    // balance 10: the first round's win pays for the second; the third is refused; the fourth is affordable again
    const reqs = [round(p, 10, always(25)), round(p, 20, always(0)), round(p, 10, always(0)), round(other, 10), round(p, 5, always(0))];
    const before = await commits(s);
    const outcomes = await Promise.allSettled(reqs.map((r) => s.services.games.playRound(r)));
    const after = await commits(s);
    expect(after.count - before.count, 'all in one commit').to.equal(1);

    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const value = (i: number) => (outcomes[i] as PromiseFulfilledResult<Awaited<ReturnType<typeof s.services.games.playRound>>>).value;
    expect(
      [0, 1, 4].map((i) => value(i).fairness.nonce),
      'nonces in order, the refused round took none',
    ).to.deep.equal([0, 1, 2]);
    expect(
      [0, 1, 4].map((i) => value(i).balances.GOLD),
      'balance after each round',
    ).to.deep.equal([25, 5, 0]);
    expect((outcomes[2] as PromiseRejectedResult).reason.details).to.deep.include({ balance: 5, required: 10 });

    const ledger = await em().execute<{ reason: string; delta: string; balance_after: string }[]>(
      `select reason, delta, balance_after from ledger_entries where user_id = ? and ref_type = 'round' order by id`,
      [p.userId],
    );
    expect(ledger.map((l) => [l.reason, Number(l.delta), Number(l.balance_after)])).to.deep.equal([
      ['bet', -10, 0],
      ['win', 25, 25],
      ['bet', -20, 5],
      ['bet', -5, 0],
    ]);
    const [session] = await em().execute('select rounds, wagered, won, wins, biggest_win from game_sessions where id = ?', [p.sessionId]);
    expect(session).to.deep.equal({ rounds: 3, wagered: '35', won: '25', wins: 1, biggest_win: '25' });
    expect((await findDrift(em())).drift).to.deep.equal([]);
  });

  it('chains free spins (further nonces of the same round) and their wins inside a batch', async () => {
    const [a, b] = [await player(), await player()];
    const withFreeSpins =
      (bet: number): RoundRequest['decide'] =>
      async ({ nextDraw }) => {
        const followUps = [];
        for (let i = 0; i < 3; i++) followUps.push({ payout: 4, outcome: { free: i }, draw: await nextDraw() });
        return { payout: 0, multiplier: Math.floor((12 * 100) / bet), outcome: { main: true }, followUps };
      };
    const results = await Promise.all(
      [round(a, 10, withFreeSpins(10)), round(b, 10), round(a, 10, withFreeSpins(10))].map((r) => s.services.games.playRound(r)),
    );
    expect(results[0].followUps.map((f) => f.nonce)).to.deep.equal([1, 2, 3]);
    expect(results[2].fairness.nonce).to.equal(4);
    expect(results[2].followUps.map((f) => f.nonce)).to.deep.equal([5, 6, 7]);
    expect([results[0].balances.GOLD, results[2].balances.GOLD]).to.deep.equal([1002, 1004]);
    const rounds = await em().execute<{ n: number }[]>('select count(*)::int as n from game_rounds where user_id = ?', [a.userId]);
    expect(rounds[0].n).to.equal(8);
    expect((await s.services.fairness.current(a.userId)).nextNonce).to.equal(8);
  });

  it('chains gacha pity across two pulls of one player in the same batch', async () => {
    const u = await signup(s.http);
    await s.services.wallet.apply([credit({ userId: u.userId, currency: 'GOLD', amount: 10_000, reason: 'admin_adjust', actor: 'test' })]);
    const sessionId = await s.services.games.openSession(u.userId, 'gacha', 'gacha-room');
    const banner = findBanner('neon-standard');
    const [first, second] = await Promise.all([1, 2].map(() => s.services.gacha.pull({ userId: u.userId, sessionId, banner, count: 10 })));
    expect([first.fairness.nonce, second.fairness.nonce]).to.deep.equal([0, 1]);
    expect(second.outcome.pity_before).to.equal(first.outcome.pity_after);
    const [pity] = await em().execute('select pulls from gacha_pity where user_id = ?', [u.userId]);
    expect(pity.pulls).to.equal(20);
    expect(second.balances.GOLD).to.equal(11_000 - 2 * banner.cost.ten + first.result.converted.gold + second.result.converted.gold);
  });

  it('resolves a round only after its transaction committed: blocked inside it, the caller waits; once resolved, the rows are there', async () => {
    const p = await player();
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    // another transaction holds the session row that the round's write statement must update
    const holder = s.orm.em.fork().transactional(async (tx) => {
      await (tx as EntityManager).execute('select id from game_sessions where id = ? for update', [p.sessionId]);
      locked();
      await new Promise<void>((r) => {
        release = r;
      });
    });
    await isLocked;
    let resolved = false;
    const playing = s.services.games.playRound(round(p, 10)).then((r) => {
      resolved = true;
      return r;
    });
    try {
      const blocked = await eventually(
        async () =>
          (
            await em().execute<{ n: number }[]>(
              `select count(*)::int as n from pg_stat_activity where datname = current_database() and cardinality(pg_blocking_pids(pid)) > 0`,
            )
          )[0].n,
        (n) => n > 0,
      );
      expect(blocked, 'the round transaction waits on the held row').to.equal(1);
      expect(resolved, 'no result while its transaction is open').to.equal(false);
      const [{ n }] = await em().execute<{ n: number }[]>('select count(*)::int as n from game_rounds where user_id = ?', [p.userId]);
      expect(n).to.equal(0);
    } finally {
      release();
    }
    await holder;
    const r = await playing;
    const rows = await em().execute('select id, bet from game_rounds where id = ?', [r.roundId]);
    expect(rows).to.deep.equal([{ id: r.roundId, bet: '10' }]);
    expect(await gold(p.userId)).to.equal(r.balances.GOLD);
  });
});
