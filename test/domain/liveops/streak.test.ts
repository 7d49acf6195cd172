import { expect } from 'chai';
import {
  assertStreakClaimable,
  claimStreak,
  INITIAL_STREAK,
  STREAK_REWARDS,
  streakRewardFor,
  tickStreak,
} from '../../../domain/liveops/streak.ts';
import type { StreakState } from '../../../domain/liveops/streak.ts';
import { parseRewardBundle } from '../../../domain/liveops/rewards.ts';
import { DomainError } from '../../../domain/shared/errors.ts';

// 2026-11-16 is a Monday (W2026-47); 2026-11-23 is the next Monday (W2026-48).
const day = (d: string, time = '12:00:00Z') => new Date(`${d}T${time}`);

function played(days: string[], from: StreakState = INITIAL_STREAK): StreakState {
  return days.reduce((s, d) => tickStreak(s, day(d)).state, from);
}

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    expect((e as DomainError).code).to.equal('request/invalid');
    return (e as DomainError).details.reason;
  }
  return undefined;
}

describe('domain/liveops streak', () => {
  it('starts at 1 on the first play, without a reset', () => {
    const r = tickStreak(INITIAL_STREAK, day('2026-11-16'));
    expect(r).to.deep.include({ ticked: true, usedGrace: false, reset: false });
    expect(r.state).to.deep.include({ current: 1, best: 1, lastPlayedDay: 'D2026-11-16', graceTokens: 1, graceWeek: 'W2026-47' });
  });

  it('ticks at most once per UTC day', () => {
    const s = played(['2026-11-16']);
    const again = tickStreak(s, day('2026-11-16', '23:59:59.999Z'));
    expect(again).to.deep.equal({ state: s, ticked: false, usedGrace: false, reset: false });
    const next = tickStreak(s, day('2026-11-17', '00:00:00Z'));
    expect(next.ticked).to.equal(true);
    expect(next.state.current).to.equal(2);
  });

  it('ignores a play on an earlier day than the last one', () => {
    const s = played(['2026-11-16', '2026-11-17']);
    expect(tickStreak(s, day('2026-11-16'))).to.deep.include({ state: s, ticked: false });
  });

  it('bridges exactly one missed day with the weekly grace token', () => {
    const s = played(['2026-11-16', '2026-11-17']);
    const r = tickStreak(s, day('2026-11-19')); // missed the 18th
    expect(r).to.deep.include({ ticked: true, usedGrace: true, reset: false });
    expect(r.state).to.deep.include({ current: 3, best: 3, graceTokens: 0, graceWeek: 'W2026-47' });
  });

  it('resets after one missed day when the token is spent', () => {
    const s = played(['2026-11-16', '2026-11-18', '2026-11-19']); // token spent on the 17th
    expect(s.graceTokens).to.equal(0);
    const r = tickStreak(s, day('2026-11-21')); // missed the 20th, same ISO week
    expect(r).to.deep.include({ ticked: true, usedGrace: false, reset: true });
    expect(r.state).to.deep.include({ current: 1, best: 3 });
  });

  it('refills one token in a new ISO week, without accumulating', () => {
    const spent = played(['2026-11-16', '2026-11-18']);
    expect(spent).to.deep.include({ graceTokens: 0, graceWeek: 'W2026-47' });
    const r = tickStreak(played(['2026-11-19', '2026-11-20', '2026-11-21'], spent), day('2026-11-23')); // missed Sunday 22nd
    expect(r).to.deep.include({ usedGrace: true, reset: false });
    expect(r.state).to.deep.include({ current: 6, graceTokens: 0, graceWeek: 'W2026-48' });

    const unused = played(['2026-11-16', '2026-11-17']);
    const week2 = tickStreak(unused, day('2026-11-23')).state; // long gap: reset, 1 token (not 2)
    expect(week2).to.deep.include({ current: 1, graceTokens: 1, graceWeek: 'W2026-48' });
  });

  it('resets after two missed days even with a token, keeping best', () => {
    const s = played(['2026-11-16', '2026-11-17', '2026-11-18']);
    const r = tickStreak(s, day('2026-11-21')); // missed 19th and 20th
    expect(r).to.deep.include({ ticked: true, usedGrace: false, reset: true });
    expect(r.state).to.deep.include({ current: 1, best: 3, graceTokens: 1 });
    expect(played(['2026-11-22', '2026-11-23'], r.state)).to.deep.include({ current: 3, best: 3 });
    expect(played(['2026-11-22', '2026-11-23', '2026-11-24'], r.state)).to.deep.include({ current: 4, best: 4 });
  });

  it('ticks across a year boundary', () => {
    const s = played(['2026-12-30', '2026-12-31', '2027-01-01']);
    expect(s).to.deep.include({ current: 3, lastPlayedDay: 'D2027-01-01', graceWeek: 'W2026-53' });
  });

  it('claims once per UTC day, only after playing that day', () => {
    const s = played(['2026-11-16']);
    expect(reasonOf(() => assertStreakClaimable(INITIAL_STREAK, day('2026-11-16')))).to.equal('not_played_today');
    expect(reasonOf(() => assertStreakClaimable(s, day('2026-11-17')))).to.equal('not_played_today');
    const claimed = claimStreak(s, day('2026-11-16', '23:59:59.999Z'));
    expect(claimed).to.deep.equal({ ...s, lastClaimedDay: 'D2026-11-16' });
    expect(reasonOf(() => claimStreak(claimed, day('2026-11-16')))).to.equal('already_claimed');
    const tomorrow = tickStreak(claimed, day('2026-11-17', '00:00:00Z')).state;
    expect(claimStreak(tomorrow, day('2026-11-17')).lastClaimedDay).to.equal('D2026-11-17');
  });

  it('rewards streak days 1..7 with growing GOLD, GEM on day 7, then cycles', () => {
    expect(STREAK_REWARDS).to.have.length(7);
    for (let d = 1; d < 7; d++) expect(streakRewardFor(d + 1).gold).to.be.greaterThan(streakRewardFor(d).gold ?? 0);
    expect(streakRewardFor(7).gem).to.be.greaterThan(0);
    expect(streakRewardFor(6).gem).to.equal(undefined);
    expect(streakRewardFor(8)).to.deep.equal(streakRewardFor(1));
    expect(streakRewardFor(14)).to.deep.equal(streakRewardFor(7));
    for (const bundle of STREAK_REWARDS) expect(parseRewardBundle(bundle)).to.deep.equal(bundle);
    expect(() => streakRewardFor(0)).to.throw(RangeError);
    const copy = streakRewardFor(1);
    copy.gold = 1;
    expect(streakRewardFor(1).gold).to.equal(100);
  });
});
