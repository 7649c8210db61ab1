/**
 * The server's one clock. It is the machine's clock unless PORTAL_CLOCK_START is set (by the tests,
 * or for a demonstration of a campaign on a chosen day): then time starts there when the process
 * starts (or, with PORTAL_CLOCK_STARTED_AT, at that wall-clock moment, so that several processes
 * share one timeline) and runs on at real speed. Nothing else in src reads the wall clock.
 */
import { clockStartingAt, parseClockStart, systemClock, type Clock } from '~/lib/time/clock';

function clockFromEnvironment(): Clock {
  const start = process.env['PORTAL_CLOCK_START'];
  if (!start) return systemClock;
  const startedAt = process.env['PORTAL_CLOCK_STARTED_AT'];
  return clockStartingAt(
    parseClockStart(start),
    systemClock,
    startedAt ? parseClockStart(startedAt, 'PORTAL_CLOCK_STARTED_AT') : undefined,
  );
}

export const serverClock: Clock = clockFromEnvironment();

/** The current instant on the server's clock. */
export function now(): Date {
  return serverClock.now();
}
