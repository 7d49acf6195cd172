import { expect } from 'chai';
import { dayKey, daysBetween, periodKey, weekKey } from '../../../domain/liveops/periods.ts';
import { DomainError } from '../../../domain/shared/errors.ts';

const at = (iso: string) => new Date(iso);

describe('domain/liveops periods', () => {
  it('keys the UTC day, switching exactly at 00:00Z', () => {
    expect(dayKey(at('2026-11-22T23:59:59.999Z'))).to.equal('D2026-11-22');
    expect(dayKey(at('2026-11-23T00:00:00.000Z'))).to.equal('D2026-11-23');
    expect(dayKey(at('2026-11-23T08:30:00+09:00'))).to.equal('D2026-11-22'); // Seoul morning is still the UTC day before
    expect(dayKey(at('2026-01-05T00:00:00Z'))).to.equal('D2026-01-05');
  });

  it('keys ISO-8601 weeks with the ISO week-year', () => {
    expect(weekKey(at('2026-11-22T12:00:00Z'))).to.equal('W2026-47'); // a Sunday
    expect(weekKey(at('2026-11-22T23:59:59.999Z'))).to.equal('W2026-47');
    expect(weekKey(at('2026-11-23T00:00:00Z'))).to.equal('W2026-48'); // Monday starts a week
    expect(weekKey(at('2026-12-31T12:00:00Z'))).to.equal('W2026-53');
    expect(weekKey(at('2027-01-01T00:00:00Z'))).to.equal('W2026-53');
    expect(weekKey(at('2027-01-03T23:59:59.999Z'))).to.equal('W2026-53');
    expect(weekKey(at('2027-01-04T00:00:00Z'))).to.equal('W2027-01');
    expect(weekKey(at('2020-12-31T00:00:00Z'))).to.equal('W2020-53');
    expect(weekKey(at('2021-01-03T00:00:00Z'))).to.equal('W2020-53');
    expect(weekKey(at('2021-01-04T00:00:00Z'))).to.equal('W2021-01');
    expect(weekKey(at('2024-12-30T00:00:00Z'))).to.equal('W2025-01'); // Monday belonging to next year's week 1
    expect(weekKey(at('2025-12-29T00:00:00Z'))).to.equal('W2026-01');
    expect(weekKey(at('2026-01-01T00:00:00Z'))).to.equal('W2026-01');
  });

  it('maps a period to its key', () => {
    const t = at('2026-11-22T10:00:00Z');
    expect(periodKey('daily', t)).to.equal('D2026-11-22');
    expect(periodKey('weekly', t)).to.equal('W2026-47');
    expect(periodKey('achievement', t)).to.equal('ALL');
    expect(periodKey('once', t)).to.equal('ALL');
  });

  it('counts days between day keys, across months, years and leap days', () => {
    expect(daysBetween('D2026-11-22', 'D2026-11-22')).to.equal(0);
    expect(daysBetween('D2026-11-22', 'D2026-11-23')).to.equal(1);
    expect(daysBetween('D2026-11-23', 'D2026-11-22')).to.equal(-1);
    expect(daysBetween('D2026-12-31', 'D2027-01-01')).to.equal(1);
    expect(daysBetween('D2024-02-28', 'D2024-03-01')).to.equal(2);
    expect(daysBetween('D2026-01-01', 'D2027-01-01')).to.equal(365);
  });

  it('rejects malformed day keys and invalid dates', () => {
    for (const bad of ['2026-11-22', 'D2026-13-01', 'D2026-02-30', 'D26-1-1', '']) {
      expect(() => daysBetween(bad, 'D2026-11-22'), bad)
        .to.throw(DomainError)
        .with.property('code', 'request/invalid');
    }
    expect(() => dayKey(new Date('nope'))).to.throw(DomainError);
    expect(() => weekKey(new Date(Number.NaN))).to.throw(DomainError);
  });
});
