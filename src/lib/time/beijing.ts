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
