import { expect } from 'chai';
import { msToReach, multiplierAt } from '../../../../domain/games/crash/curve.ts';
import { capAtLeast, capHundredths, exposureAt, payoutAt } from '../../../../domain/games/crash/exposure.ts';
import type { CrashRound } from '../../../../domain/games/crash/round.ts';
import {
  advanceRound,
  autoCashouts,
  cashOut,
  crashRound,
  createRound,
  placeBet,
  startRound,
  voidRound,
  type CrashEvent,
  type CrashStep,
} from '../../../../domain/games/crash/rules.ts';
import { crashPointHundredths, nextChainHash } from '../../../../domain/rng/fair.ts';
import { DomainError } from '../../../../domain/shared/errors.ts';

const BIG = 1_000_000_000;

/** A running round with the given bets. */
function running(crashPoint: number, bets: { playerId: string; amount: number; autoCashout?: number }[], capPayout = BIG): CrashRound {
  let round = createRound({ id: 'r1', crashPoint, capPayout });
  for (const b of bets) round = placeBet(round, b).round;
  return startRound(round).round;
}

function settledOf(step: CrashStep, playerId: string): Extract<CrashEvent, { type: 'settled' }> | undefined {
  return step.events.find((e): e is Extract<CrashEvent, { type: 'settled' }> => e.type === 'settled' && e.playerId === playerId);
}

function expectRefused(fn: () => unknown, reason: string): void {
  const code = reason === 'invalid_bet' ? 'request/invalid' : 'game/not_allowed';
  expect(fn)
    .to.throw(DomainError)
    .that.satisfies((e: DomainError) => e.code === code && e.details.reason === reason);
}

describe('domain/games/crash rules', () => {
  describe('bets', () => {
    it('accepts one bet per player while betting, and refuses bets once running', () => {
      const r0 = createRound({ id: 'r1', crashPoint: 250, capPayout: BIG });
      const s1 = placeBet(r0, { playerId: 'p1', amount: 100, autoCashout: 150 });
      expect(s1.events).to.deep.equal([{ type: 'bet_placed', playerId: 'p1', amount: 100, autoCashout: 150 }]);
      expect(r0.bets).to.deep.equal([]); // the input is not mutated
      expectRefused(() => placeBet(s1.round, { playerId: 'p1', amount: 5 }), 'duplicate_bet');
      const started = startRound(placeBet(s1.round, { playerId: 'p2', amount: 5 }).round);
      expect(started.events).to.deep.equal([{ type: 'started' }]);
      expect(started.round.bets.map((b) => b.playerId)).to.deep.equal(['p1', 'p2']);
      expectRefused(() => placeBet(started.round, { playerId: 'p3', amount: 5 }), 'betting_closed');
      expectRefused(() => startRound(started.round), 'not_betting');
    });

    it('refuses invalid amounts and auto cash-outs below 1.01x', () => {
      const r0 = createRound({ id: 'r1', crashPoint: 250, capPayout: BIG });
      for (const amount of [0, -1, 1.5, Number.NaN]) expectRefused(() => placeBet(r0, { playerId: 'p', amount }), 'invalid_bet');
      for (const autoCashout of [100, 99, 150.5])
        expectRefused(() => placeBet(r0, { playerId: 'p', amount: 10, autoCashout }), 'invalid_bet');
      expect(placeBet(r0, { playerId: 'p', amount: 10, autoCashout: 101 }).round.bets[0].autoCashout).to.equal(101);
    });

    it('refuses a bet that would let all bets at 1.01x pass the cap', () => {
      const r0 = createRound({ id: 'r1', crashPoint: 250, capPayout: 1010 });
      const r1 = placeBet(r0, { playerId: 'p1', amount: 600 }).round;
      expectRefused(() => placeBet(r1, { playerId: 'p2', amount: 401 }), 'table_full');
      expect(placeBet(r1, { playerId: 'p2', amount: 400 }).round.bets).to.have.length(2);
    });

    it('decides the cap over a long run of bets as a full sum of the exposure would, whatever round it starts from', () => {
      // placeBet adds each bet's share to the total it remembers for the round it returned; a round it did not
      // return (parsed back from JSON, or a bet list filtered by the room) is summed in full
      let seed = 7;
      const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
      for (const capPayout of [5_000, 20_000, 60_000]) {
        let round = createRound({ id: 'r1', crashPoint: 250, capPayout });
        for (let i = 0; i < 300; i++) {
          const bet = { playerId: `p${i}`, amount: 1 + rand(400), autoCashout: rand(3) === 0 ? 101 + rand(300) : null };
          const fits = exposureAt({ ...round, bets: [...round.bets, { ...bet, settlement: null }] }, 101) <= capPayout;
          if (!fits) {
            expectRefused(() => placeBet(round, bet), 'table_full');
            continue;
          }
          round = placeBet(round, bet).round;
          if (i % 50 === 0) round = JSON.parse(JSON.stringify(round)) as CrashRound;
        }
        expect(exposureAt(round, 101)).to.be.at.most(capPayout);
      }
    });
    it('keeps the round a plain JSON object', () => {
      const r = running(300, [{ playerId: 'p1', amount: 100, autoCashout: 150 }]);
      const after = advanceRound(r, 160).round;
      expect(JSON.parse(JSON.stringify(after))).to.deep.equal(after);
    });
  });

  describe('cash-out', () => {
    it('pays floor(amount × m / 100) while running, below the crash point', () => {
      const r = running(500, [
        { playerId: 'p1', amount: 1234 },
        { playerId: 'p2', amount: 99 },
      ]);
      const s = cashOut(r, 'p1', 157);
      expect(settledOf(s, 'p1')).to.deep.equal({
        type: 'settled',
        playerId: 'p1',
        amount: 1234,
        multiplier: 157,
        payout: 1937,
        reason: 'cashout',
      });
      expect(s.round.paid).to.equal(1937);
      expect(s.round.multiplier).to.equal(157);
      expect(cashOut(s.round, 'p2', 499).round.bets[1].settlement).to.deep.equal({ multiplier: 499, payout: 494, reason: 'cashout' });
      expect(payoutAt(1, 199)).to.equal(1);
      expect(payoutAt(2 ** 40, 10 ** 9)).to.equal(Number((2n ** 40n * 10n ** 9n) / 100n));
    });

    it('refuses a cash-out at or after the crash point: the round crashes and the bet is lost', () => {
      const r = running(200, [
        { playerId: 'p1', amount: 100 },
        { playerId: 'p2', amount: 100 },
      ]);
      expect(settledOf(cashOut(r, 'p1', 199), 'p1')).to.include({ payout: 199, reason: 'cashout' });
      const late = cashOut(r, 'p1', 200);
      expect(late.round.phase).to.equal('crashed');
      expect(settledOf(late, 'p1')).to.include({ multiplier: 0, payout: 0, reason: 'crashed' });
      expect(late.events.at(-1)).to.deep.equal({ type: 'crashed', crashPoint: 200 });
      expect(late.round.paid).to.equal(0);
      expectRefused(() => cashOut(late.round, 'p2', 150), 'round_over');
    });

    it('refuses a cash-out before the start, without a bet, or twice', () => {
      const betting = placeBet(createRound({ id: 'r', crashPoint: 300, capPayout: BIG }), { playerId: 'p1', amount: 10 }).round;
      expectRefused(() => cashOut(betting, 'p1', 100), 'not_started');
      const r = startRound(betting).round;
      expectRefused(() => cashOut(r, 'nobody', 120), 'no_bet');
      expectRefused(() => cashOut(cashOut(r, 'p1', 120).round, 'p1', 130), 'already_settled');
    });

    it('never pays below the round multiplier it already reached', () => {
      const r = advanceRound(running(300, [{ playerId: 'p1', amount: 100 }]), 180).round;
      expect(settledOf(cashOut(r, 'p1', 170), 'p1')).to.include({ multiplier: 180, payout: 180 });
    });
  });

  describe('auto cash-outs', () => {
    it('settle at their target, not at the current multiplier, lowest target first', () => {
      const r = running(1000, [
        { playerId: 'a', amount: 100, autoCashout: 300 },
        { playerId: 'b', amount: 100, autoCashout: 150 },
        { playerId: 'c', amount: 100 },
      ]);
      const s = advanceRound(r, 480);
      expect(s.events.map((e) => e.type === 'settled' && [e.playerId, e.multiplier, e.payout, e.reason])).to.deep.equal([
        ['b', 150, 150, 'auto_cashout'],
        ['a', 300, 300, 'auto_cashout'],
      ]);
      expect(s.round.bets[2].settlement).to.equal(null);
      expect(autoCashouts(r, 200).events).to.have.length(1);
    });

    it('lose when the target is at or above the crash point', () => {
      const r = running(150, [
        { playerId: 'a', amount: 100, autoCashout: 149 },
        { playerId: 'b', amount: 100, autoCashout: 150 },
      ]);
      const s = advanceRound(r, 170);
      expect(settledOf(s, 'a')).to.include({ multiplier: 149, payout: 149, reason: 'auto_cashout' });
      expect(settledOf(s, 'b')).to.include({ multiplier: 0, payout: 0, reason: 'crashed' });
    });

    it('take precedence over a late manual cash-out past the target', () => {
      const r = running(1000, [{ playerId: 'a', amount: 100, autoCashout: 200 }]);
      expect(settledOf(cashOut(r, 'a', 250), 'a')).to.include({ multiplier: 200, reason: 'auto_cashout' });
    });

    it('lose everything at a 1.00x crash point', () => {
      const s = advanceRound(running(100, [{ playerId: 'a', amount: 100, autoCashout: 101 }]), 100);
      expect(s.round.phase).to.equal('crashed');
      expect(settledOf(s, 'a')).to.include({ payout: 0, reason: 'crashed' });
    });
  });

  describe('crash and void', () => {
    it('crashRound settles every riding bet as lost and shows the crash point', () => {
      const r = cashOut(
        running(300, [
          { playerId: 'a', amount: 100 },
          { playerId: 'b', amount: 50 },
        ]),
        'a',
        120,
      ).round;
      const s = crashRound(r);
      expect(s.round).to.include({ phase: 'crashed', multiplier: 300, paid: 120 });
      expect(s.events.map((e) => e.type)).to.deep.equal(['settled', 'crashed']);
      expect(() => advanceRound(s.round, 400)).to.throw(DomainError);
    });

    it('voidRound refunds the riding bets and keeps cash-outs', () => {
      const r = cashOut(
        running(300, [
          { playerId: 'a', amount: 100 },
          { playerId: 'b', amount: 50 },
        ]),
        'a',
        120,
      ).round;
      const s = voidRound(r);
      expect(s.round.phase).to.equal('voided');
      expect(s.events).to.deep.equal([{ type: 'refunded', playerId: 'b', amount: 50 }]);
    });
  });

  describe('exposure cap', () => {
    it('is the largest multiplier whose total payout stays within the cap', () => {
      const r = running(
        10_000,
        [
          { playerId: 'a', amount: 1000 },
          { playerId: 'b', amount: 3000 },
        ],
        10_000,
      );
      expect(capHundredths(r)).to.equal(250); // 10·M + 30·M ≤ 10000
      expect(capHundredths(r, 10_039)).to.equal(250);
      expect(capHundredths(r, 10_040)).to.equal(251);
      const afterA = cashOut(r, 'a', 200).round; // paid 2000; b alone: 30·M ≤ 8000
      expect(capHundredths(afterA)).to.equal(266);
      expect(capHundredths(running(10_000, [{ playerId: 'a', amount: 1000, autoCashout: 500 }], 10_000))).to.equal(Infinity);
      expect(capHundredths(running(10_000, [{ playerId: 'a', amount: 1000, autoCashout: 1200 }], 10_000))).to.equal(1000);
    });

    it('cashes out everyone still riding at the cap multiplier', () => {
      const r = running(
        10_000,
        [
          { playerId: 'a', amount: 1000 },
          { playerId: 'b', amount: 3000, autoCashout: 240 },
          { playerId: 'c', amount: 500, autoCashout: 900 },
        ],
        10_000,
      );
      const s = advanceRound(r, 400);
      // exposure with each auto target as a ceiling: 10·M + 30·min(M, 240) + 5·min(M, 900) ≤ 10000 → M = 222,
      // below b's target, so all three leave at 2.22x
      expect(s.events.map((e) => e.type === 'settled' && [e.playerId, e.multiplier, e.reason])).to.deep.equal([
        ['a', 222, 'cap'],
        ['b', 222, 'cap'],
        ['c', 222, 'cap'],
      ]);
      expect(s.round.paid).to.equal(2220 + 6660 + 1110);
      expect(s.round.phase).to.equal('running');
    });

    it('never lets the house pay more than the cap with 200 bets, with the cap remembered per bet list', () => {
      let seed = 12345;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (const capPayout of [200_000, 1_000_000, 5_000_000]) {
        let round = createRound({ id: `cap-${capPayout}`, crashPoint: 1_000_000, capPayout });
        for (let i = 0; i < 200; i++) {
          const auto = rand() < 0.5 ? 101 + Math.floor(rand() * 2000) : undefined;
          round = placeBet(round, { playerId: `p${i}`, amount: 1 + Math.floor(rand() * 999), autoCashout: auto }).round;
        }
        round = startRound(round).round;
        let capped = 0;
        for (let t = 0; round.phase === 'running'; t += 100) {
          const m = multiplierAt(t);
          const riding = round.bets.filter((b) => b.settlement === null);
          const step =
            riding.length > 0 && rand() < 0.1
              ? cashOut(round, riding[Math.floor(rand() * riding.length)].playerId, m)
              : advanceRound(round, m);
          round = step.round;
          capped += step.events.filter((e) => e.type === 'settled' && e.reason === 'cap').length;
          // the cap remembered for this bet list (ticks and cash-outs reuse it) is the one a fresh search finds
          if (round.phase === 'running') {
            const cap = capHundredths({ ...round, bets: [...round.bets] });
            expect(capHundredths(round)).to.equal(cap);
            for (const x of [100, m, m + 1, cap, cap + 1])
              if (Number.isFinite(x)) expect(capAtLeast(round, x), `${x} vs cap ${cap}`).to.equal(cap >= x);
          }
          expect(round.paid).to.be.at.most(capPayout);
          expect(round.paid).to.equal(round.bets.reduce((s, b) => s + (b.settlement?.payout ?? 0), 0));
        }
        expect(capped, `cap ${capPayout} should bind`).to.be.above(0);
        expect(round.bets.every((b) => b.settlement !== null)).to.equal(true);
      }
    });

    it('stays out of the way when the round crashes below the cap', () => {
      const r = running(150, [{ playerId: 'a', amount: 1000 }], 1_000_000);
      const s = advanceRound(r, 300);
      expect(s.events.some((e) => e.type === 'settled' && e.reason === 'cap')).to.equal(false);
      expect(exposureAt(s.round, 10_000)).to.equal(0);
    });
  });

  describe('with the crash chain', () => {
    it('runs a round whose crash point comes from the round hash, on the curve', () => {
      const roundHash = nextChainHash('a3f1c2e4b5d60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90');
      const crashPoint = crashPointHundredths(roundHash, 'salt');
      expect(crashPoint).to.equal(142);
      let round = createRound({ id: roundHash.slice(0, 16), crashPoint, capPayout: BIG });
      round = placeBet(round, { playerId: 'lo', amount: 1000, autoCashout: 141 }).round;
      round = placeBet(round, { playerId: 'hi', amount: 1000, autoCashout: 142 }).round;
      round = startRound(round).round;
      const crashAt = msToReach(crashPoint);
      const events: CrashEvent[] = [];
      for (let t = 0; round.phase === 'running'; t += 100) {
        const step = advanceRound(round, multiplierAt(t));
        round = step.round;
        events.push(...step.events);
        if (round.phase === 'crashed')
          expect(t)
            .to.be.at.least(crashAt)
            .and.below(crashAt + 100);
      }
      expect(round.bets.map((b) => b.settlement)).to.deep.equal([
        { multiplier: 141, payout: 1410, reason: 'auto_cashout' },
        { multiplier: 0, payout: 0, reason: 'crashed' },
      ]);
      expect(events.at(-1)).to.deep.equal({ type: 'crashed', crashPoint: 142 });
    });
  });
});
