/**
 * The "now" of every server the tests start: inside the open sample campaign's window
 * (content/campaigns/2027-ni-dian-wo-cha.json, 2026-10-01 to 2027-12-31), so the suites pass
 * whatever the machine's date is. A server starts its clock there and lets it run on.
 */
import { clockStartingAt, parseClockStart } from '../../src/lib/time/clock';

export const TEST_CLOCK_START = '2027-03-15T10:00:00+08:00';

/**
 * The servers' clock as the tests see it, for event windows and date-named files. It starts when
 * this module loads, a little before any server does, so it runs seconds ahead of theirs: the
 * tests' windows are an hour or more wide.
 */
export const testClock = clockStartingAt(parseClockStart(TEST_CLOCK_START));
