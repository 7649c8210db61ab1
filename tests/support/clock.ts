/**
 * The "now" of every server the tests start: inside the open sample campaign's window
 * (content/campaigns/2027-ni-dian-wo-cha.json, 2026-10-01 to 2027-12-31), so the suites pass
 * whatever the machine's date is. A server starts its clock there and lets it run on.
 */
import { clockStartingAt, parseClockStart } from '../../src/lib/time/clock';

export const TEST_CLOCK_START = '2027-03-15T10:00:00+08:00';

/**
 * The servers' clock as the tests see it, for event windows and date-named files. It starts when
 * this module loads, and every server started by this test process shares its timeline
 * (PORTAL_CLOCK_STARTED_AT): a restarted server carries on where the first one was, and two
 * instances on one database agree on the time.
 */
export const TEST_CLOCK_STARTED_AT = new Date().toISOString();
export const testClock = clockStartingAt(parseClockStart(TEST_CLOCK_START), undefined, new Date(TEST_CLOCK_STARTED_AT));

/** The environment that puts a server on the tests' timeline (shared by every server of a run). */
export const TEST_CLOCK_ENV = { PORTAL_CLOCK_START: TEST_CLOCK_START, PORTAL_CLOCK_STARTED_AT: TEST_CLOCK_STARTED_AT };
