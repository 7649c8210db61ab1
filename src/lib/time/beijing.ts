/**
 * The portal's one way of writing an instant for people: Beijing time (Asia/Shanghai), in Chinese,
 * whatever the time zone of the server, the build machine or the reader's phone.
 */

const toTheMinute = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

const toTheDay = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});

function format(instant: string | Date, formatter: Intl.DateTimeFormat): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  // An unreadable stored time is shown as it is rather than as "Invalid Date".
  if (Number.isNaN(date.getTime())) return typeof instant === 'string' ? instant : '';
  return formatter.format(date);
}

/** "2025年3月15日 14:05" in Beijing time. */
export function formatBeijingTime(instant: string | Date): string {
  return format(instant, toTheMinute);
}

/** "2025年3月15日" in Beijing time. */
export function formatBeijingDate(instant: string | Date): string {
  return format(instant, toTheDay);
}

const timeOfDay = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "14:05:09" in Beijing time: for a moment later today, such as when a lockout ends. */
export function formatBeijingTimeOfDay(instant: string | Date): string {
  return format(instant, timeOfDay);
}

const yearOnly = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' });

/** The calendar year in Beijing at `instant`: on New Year's Eve after 16:00 UTC it is already next year. */
export function beijingYear(instant: Date): number {
  return Number(yearOnly.format(instant));
}

const isoDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** "2025-03-15": the calendar day in Beijing at `instant`, as an ISO date. */
export function beijingIsoDay(instant: Date): string {
  return isoDay.format(instant);
}

const BEIJING_LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

/**
 * A Beijing wall-clock time as a form's `datetime-local` field sends it ("2025-03-15T14:05") as an
 * ISO instant with its offset ("2025-03-15T14:05:00+08:00"); null when it is not such a time.
 * China has kept UTC+8 all year since 1991, so the offset is fixed.
 */
export function beijingLocalToIso(local: string): string | null {
  const match = BEIJING_LOCAL.exec(local.trim());
  if (!match) return null;
  const iso = `${match[1]}T${match[2]}:${match[3]}:00+08:00`;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime()) || isoToBeijingLocal(instant) !== `${match[1]}T${match[2]}:${match[3]}`) {
    return null;
  }
  return iso;
}

/** The instant as a `datetime-local` value in Beijing time, to fill a form with. */
export function isoToBeijingLocal(instant: string | Date): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** The instant in Beijing time with its offset, to the second ("2025-03-15T14:05:09+08:00"), as OpenGraph dates are written. */
export function beijingIsoInstant(instant: string | Date): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return `${new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
