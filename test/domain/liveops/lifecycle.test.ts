import { expect } from 'chai';
import { assertClaimable, isInSchedule, nextStatus } from '../../../domain/liveops/lifecycle.ts';
import type { ParticipationStatus } from '../../../domain/liveops/lifecycle.ts';
import type { Condition } from '../../../domain/liveops/conditions.ts';
import { DomainError } from '../../../domain/shared/errors.ts';

const condition: Condition = { metric: 'rounds', target: 10 };
const endsAt = new Date('2026-11-30T00:00:00Z');
const before = new Date('2026-11-29T23:59:59.999Z');
const step = (status: ParticipationStatus, progress: number, now = before, end: Date | null = endsAt) =>
  nextStatus({ status, progress, condition, now, endsAt: end });

function reasonOf(status: ParticipationStatus): unknown {
  try {
    assertClaimable(status);
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    expect((e as DomainError).code).to.equal('event/not_claimable');
    return (e as DomainError).details.reason;
  }
  return undefined;
}

describe('domain/liveops lifecycle', () => {
  it('stays active until complete, then becomes claimable', () => {
    expect(step('active', 9)).to.equal('active');
    expect(step('active', 10)).to.equal('claimable');
    expect(step('active', 25)).to.equal('claimable');
    expect(step('claimable', 25)).to.equal('claimable');
  });

  it('expires active and claimable rows at endsAt (inclusive)', () => {
    expect(step('active', 3, endsAt)).to.equal('expired');
    expect(step('active', 10, endsAt)).to.equal('expired'); // completed too late
    expect(step('claimable', 10, endsAt)).to.equal('expired');
    expect(step('claimable', 10, new Date('2027-01-01T00:00:00Z'))).to.equal('expired');
  });

  it('never expires without endsAt', () => {
    expect(step('active', 0, new Date('2099-01-01T00:00:00Z'), null)).to.equal('active');
    expect(step('claimable', 10, new Date('2099-01-01T00:00:00Z'), null)).to.equal('claimable');
  });

  it('keeps claimed and expired final', () => {
    expect(step('claimed', 10, endsAt)).to.equal('claimed');
    expect(step('claimed', 0)).to.equal('claimed');
    expect(step('expired', 100)).to.equal('expired');
    expect(step('expired', 100, before, null)).to.equal('expired');
  });

  it('allows claims only from claimable, with a reason otherwise', () => {
    expect(() => assertClaimable('claimable')).not.to.throw();
    expect(reasonOf('active')).to.equal('not_claimable');
    expect(reasonOf('claimed')).to.equal('already_claimed');
    expect(reasonOf('expired')).to.equal('expired');
  });

  it('checks a half-open schedule with optional bounds', () => {
    const schedule = { startsAt: new Date('2026-11-01T00:00:00Z'), endsAt };
    expect(isInSchedule(schedule, new Date('2026-10-31T23:59:59.999Z'))).to.equal(false);
    expect(isInSchedule(schedule, new Date('2026-11-01T00:00:00Z'))).to.equal(true);
    expect(isInSchedule(schedule, before)).to.equal(true);
    expect(isInSchedule(schedule, endsAt)).to.equal(false);
    expect(isInSchedule({ startsAt: null, endsAt: null }, new Date(0))).to.equal(true);
    expect(isInSchedule({ startsAt: null, endsAt }, new Date(0))).to.equal(true);
    expect(isInSchedule({ startsAt: schedule.startsAt, endsAt: null }, new Date('2099-01-01T00:00:00Z'))).to.equal(true);
  });
});
