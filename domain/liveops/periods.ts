// UTC period keys for missions, events and streaks: a new period is a new row, so nothing is reset by a cron job.
import { DomainError } from '../shared/errors.ts';

/** The periods a mission or event can repeat over. */
export const PERIODS = ['daily', 'weekly', 'achievement', 'once'] as const;
export type Period = (typeof PERIODS)[number];

/** The period key of never-repeating periods (achievement, once). */
export const ALL_PERIOD_KEY = 'ALL';

const MS_PER_DAY = 86_400_000;
const DAY_KEY = /^D(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function assertValidDate(at: Date): void {
  if (Number.isNaN(at.getTime())) throw new DomainError('request/invalid', 'Invalid date.', { reason: 'invalid_date' });
}

/** The UTC calendar day of `at` as `'DYYYY-MM-DD'` (e.g. `'D2026-11-22'`). */
export function dayKey(at: Date): string {
  assertValidDate(at);
  return `D${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

/** The ISO-8601 week of `at` in UTC as `'WYYYY-WW'`, where YYYY is the ISO week-year (Monday-based weeks). */
export function weekKey(at: Date): string {
  assertValidDate(at);
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const isoWeekday = new Date(day).getUTCDay() || 7; // Monday = 1 … Sunday = 7
  const thursday = new Date(day + (4 - isoWeekday) * MS_PER_DAY); // the Thursday of the same ISO week
  const weekYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / MS_PER_DAY / 7) + 1;
  return `W${pad(weekYear, 4)}-${pad(week)}`;
}

/** The period key of `at`: day key for daily, ISO week key for weekly, `'ALL'` for achievement and once. */
export function periodKey(period: Period, at: Date): string {
  switch (period) {
    case 'daily':
      return dayKey(at);
    case 'weekly':
      return weekKey(at);
    case 'achievement':
    case 'once':
      return ALL_PERIOD_KEY;
  }
}

/** Milliseconds since the epoch of 00:00Z of a day key; DomainError 'request/invalid' for a malformed key. */
function parseDayKey(key: string): number {
  const m = DAY_KEY.exec(key);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || dayKey(new Date(ms)) !== key) {
    throw new DomainError('request/invalid', `Invalid day key: ${key}.`, { reason: 'invalid_day_key', key });
  }
  return ms;
}

/** Whole days from one day key to another (to − from; negative when `to` is earlier). */
export function daysBetween(fromDayKey: string, toDayKey: string): number {
  return Math.round((parseDayKey(toDayKey) - parseDayKey(fromDayKey)) / MS_PER_DAY);
}
