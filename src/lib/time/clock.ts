/**
 * The portal's notion of "now". Every rule that depends on the time takes a Clock (or a Date made
 * from one) instead of reading the wall clock, so tests and demonstrations can set the date.
 */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that starts at `start` and then runs at real speed: timeouts and pacing still elapse.
 * `startedAt` is the wall-clock moment that reads `start` (now, unless several processes must share
 * one timeline: then they all name the same moment).
 */
export function clockStartingAt(start: Date, wallClock: Clock = systemClock, startedAt: Date = wallClock.now()): Clock {
  const offsetMs = start.getTime() - startedAt.getTime();
  return { now: () => new Date(wallClock.now().getTime() + offsetMs) };
}

/** A clock that stands still until moved: for unit tests. */
export function manualClock(start: Date): Clock & { advance(ms: number): void; set(instant: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (instant) => {
      current = instant.getTime();
    },
  };
}

/**
 * Reads a clock start such as `2027-03-15T10:00:00+08:00`. An offset is required so the instant
 * never depends on the machine's time zone.
 */
export function parseClockStart(text: string, variable = 'PORTAL_CLOCK_START'): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new Error(`${variable}「${text.slice(0, 40)}」不是带时区的 ISO 时间，例如 2027-03-15T10:00:00+08:00`);
  }
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) throw new Error(`${variable}「${text.slice(0, 40)}」不是有效时间`);
  return instant;
}
