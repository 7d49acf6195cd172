import { expect } from 'chai';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { ormOptions } from '../../server/db/orm.config.ts';
import { findDrift } from '../../server/services/wallet/reconcile.service.ts';
import type { FaultProxy } from './fault-proxy.ts';
import { eventually } from './room-client.ts';
import { endServerProcess, type ServerProcess } from './server-process.ts';

/**
 * The money checks every fault test ends with, on the database a server process used: each round has exactly one
 * bet debit (of its bet) and at most one win or refund credit (of its payout or bet), none is left `open`, no
 * ledger row points at a round that does not exist, no balance is negative, and the reconcile check finds no drift.
 */
export interface LedgerSummary {
  rounds: number;
  settled: number;
  refunded: number;
  byGame: Record<string, number>;
}

/** A short-lived ORM on a test database (the test process's own view, beside the server process's pool). */
export async function withDb<T>(url: string, fn: (em: () => EntityManager) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(ormOptions(url, 2));
  try {
    return await fn(() => orm.em.fork() as EntityManager);
  } finally {
    await orm.close(true);
  }
}

export async function openRounds(em: EntityManager): Promise<number> {
  const [r] = await em.execute<{ n: number }[]>(`select count(*)::int as n from game_rounds where status = 'open'`);
  return r.n;
}

/** Waits until no round is open (the players are gone, settlements retried); returns how many still are. */
export async function waitNoOpenRounds(em: () => EntityManager, timeoutMs = 20_000): Promise<number> {
  return eventually(
    () => openRounds(em()),
    (n) => n === 0,
    timeoutMs,
  );
}

export async function assertLedgerConsistent(em: () => EntityManager): Promise<LedgerSummary> {
  const rounds = await em().execute<
    {
      id: string;
      game: string;
      status: string;
      bet: string;
      payout: string;
      bets: number;
      bet_total: string | null;
      wins: number;
      win_total: string | null;
      refunds: number;
      refund_total: string | null;
      other: string | null;
    }[]
  >(`
    select r.id, r.game, r.status, r.bet, r.payout,
           count(l.*) filter (where l.reason = 'bet')::int as bets, -sum(l.delta) filter (where l.reason = 'bet') as bet_total,
           count(l.*) filter (where l.reason = 'win')::int as wins, sum(l.delta) filter (where l.reason = 'win') as win_total,
           count(l.*) filter (where l.reason = 'refund')::int as refunds, sum(l.delta) filter (where l.reason = 'refund') as refund_total,
           string_agg(l.reason, ',') filter (where l.reason not in ('bet', 'win', 'refund')) as other
      from game_rounds r left join ledger_entries l on l.ref_type = 'round' and l.ref_id = r.id::text
     group by r.id`);
  const problems: string[] = [];
  const summary: LedgerSummary = { rounds: rounds.length, settled: 0, refunded: 0, byGame: {} };
  for (const r of rounds) {
    summary.byGame[r.game] = (summary.byGame[r.game] ?? 0) + 1;
    const bet = Number(r.bet);
    const payout = Number(r.payout);
    const got = `bets ${r.bets} (${r.bet_total ?? 0}), wins ${r.wins} (${r.win_total ?? 0}), refunds ${r.refunds} (${r.refund_total ?? 0})`;
    const want = (ok: boolean, what: string) => {
      if (!ok) problems.push(`${r.game} round ${r.id} [${r.status}, bet ${bet}, payout ${payout}]: ${what}; ledger: ${got}`);
    };
    want(r.other === null, `unexpected ledger reasons ${r.other}`);
    want(r.bets === (bet > 0 ? 1 : 0) && Number(r.bet_total ?? 0) === bet, 'not exactly one bet debit of the bet');
    if (r.status === 'refunded') {
      summary.refunded++;
      want(r.refunds === 1 && Number(r.refund_total) === bet, 'not exactly one refund of the bet');
      want(r.wins === 0, 'refunded and paid');
    } else if (r.status === 'settled') {
      summary.settled++;
      want(r.refunds === 0, 'settled and refunded');
      want(r.wins === (payout > 0 ? 1 : 0) && Number(r.win_total ?? 0) === payout, 'win credits do not match the payout');
    } else {
      want(false, `left ${r.status}`);
    }
  }
  const orphans = await em().execute<{ id: string; reason: string; ref_id: string }[]>(
    `select id, reason, ref_id from ledger_entries l where ref_type = 'round' and not exists (select 1 from game_rounds r where r.id::text = l.ref_id)`,
  );
  for (const o of orphans) problems.push(`ledger row ${o.id} (${o.reason}) of a round that does not exist: ${o.ref_id}`);
  const negative = await em().execute<{ user_id: string; currency: string; balance: string }[]>(
    `select user_id, currency, balance from wallets where balance < 0`,
  );
  for (const w of negative) problems.push(`negative balance ${w.balance} ${w.currency} of ${w.user_id}`);
  const { drift } = await findDrift(em());
  for (const d of drift) problems.push(`drift ${d.userId} ${d.currency} ${d.problem}: ${d.detail}`);
  expect(problems, problems.slice(0, 20).join('\n')).to.deep.equal([]);
  return summary;
}

/** Sessions still `open` (every player has left: none should be). */
export async function openSessions(em: EntityManager): Promise<number> {
  const [r] = await em.execute<{ n: number }[]>(`select count(*)::int as n from game_sessions where status = 'open'`);
  return r.n;
}

/** The `after` hook of a fault test with bots: halt them, end the fault, stop the server process, print the test's log. */
export async function endFaultRun(o: {
  bots: Array<{ halt(): void }>;
  proxy?: FaultProxy;
  server?: ServerProcess;
  log?: string[];
}): Promise<void> {
  for (const b of o.bots) b.halt();
  await o.proxy?.restore();
  await endServerProcess(o.server);
  await o.proxy?.close();
  if (o.log?.length) console.log(o.log.map((l) => `      ${l}`).join('\n'));
}
