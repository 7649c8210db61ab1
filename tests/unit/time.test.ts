import { describe, expect, test } from 'vitest';
import {
  beijingLocalToIso,
  beijingYear,
  formatBeijingDate,
  formatBeijingTime,
  formatBeijingTimeOfDay,
  isoToBeijingLocal,
} from '../../src/lib/time/beijing';
import { clockStartingAt, manualClock, parseClockStart } from '../../src/lib/time/clock';

describe('Beijing time', () => {
  test('times are shown in Beijing time, whatever the machine time zone', () => {
    expect(formatBeijingTime('2027-03-15T06:05:00.000Z')).toBe('2027年3月15日 14:05');
    expect(formatBeijingTime(new Date('2027-03-15T06:05:00.000Z'))).toBe('2027年3月15日 14:05');
    expect(formatBeijingTimeOfDay('2027-03-15T16:05:09.000Z')).toBe('00:05:09');
  });

  test('a day is the Beijing day, which can differ from the UTC day', () => {
    expect(formatBeijingDate('2027-03-15T17:30:00.000Z')).toBe('2027年3月16日');
  });

  test('an unreadable stored time is shown as written, not as "Invalid Date"', () => {
    expect(formatBeijingTime('not-a-time')).toBe('not-a-time');
  });

  test('the year turns at Beijing midnight, eight hours before UTC', () => {
    expect(beijingYear(new Date('2027-12-31T15:59:59Z'))).toBe(2027);
    expect(beijingYear(new Date('2027-12-31T16:00:00Z'))).toBe(2028);
  });
});

describe('Beijing times in forms', () => {
  test('a datetime-local value is read as Beijing time', () => {
    expect(beijingLocalToIso('2027-03-20T09:00')).toBe('2027-03-20T09:00:00+08:00');
    expect(new Date(beijingLocalToIso('2027-01-01T07:30')!).toISOString()).toBe('2026-12-31T23:30:00.000Z');
  });

  test('anything else is refused', () => {
    expect(beijingLocalToIso('2027-02-30T09:00')).toBeNull();
    expect(beijingLocalToIso('2027-03-20 09:00')).toBeNull();
    expect(beijingLocalToIso('2027-03-20T25:00')).toBeNull();
    expect(beijingLocalToIso('')).toBeNull();
  });

  test('an instant fills the field in Beijing time', () => {
    expect(isoToBeijingLocal('2026-12-31T23:30:00Z')).toBe('2027-01-01T07:30');
  });
});

describe('clocks', () => {
  test('a clock started at a chosen instant runs on at the speed of the clock under it', () => {
    const wall = manualClock(new Date('2031-01-01T00:00:00Z'));
    const clock = clockStartingAt(parseClockStart('2027-03-15T10:00:00+08:00'), wall);
    expect(clock.now().toISOString()).toBe('2027-03-15T02:00:00.000Z');
    wall.advance(90_000);
    expect(clock.now().toISOString()).toBe('2027-03-15T02:01:30.000Z');
  });

  test('a clock start without a time zone is refused, so it never depends on the machine', () => {
    expect(() => parseClockStart('2027-03-15T10:00:00')).toThrow(/带时区/);
    expect(() => parseClockStart('2027-13-45T10:00:00+08:00')).toThrow(/不是有效时间/);
  });
});
