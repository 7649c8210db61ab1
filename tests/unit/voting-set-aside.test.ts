import { describe, expect, it } from 'vitest';
import {
  newSetAside,
  officialTally,
  restoredSetAside,
  storedSetAside,
  type NewSetAside,
} from '../../src/lib/voting/set-aside';
import { addToTally, emptyTally, publicTally, type TalliedBallot } from '../../src/lib/voting/tally';
import { parsePublicTally } from '../../src/lib/voting/tally-view';

const at = '2027-03-15T02:00:00.000Z';

function cast(id: string, overrides: Partial<TalliedBallot> = {}): { id: string } & TalliedBallot {
  return {
    id,
    choices: ['tou-kui'],
    writeInCount: 0,
    district: '青浦区',
    event: null,
    eventType: null,
    channel: 'online',
    createdAt: at,
    ...overrides,
  };
}

const input = {
  campaignId: 'c',
  flag: { kind: 'address-burst' as const, key: 'h', firstAt: at },
  reason: '同一地址 5 秒内 300 张',
  setAsideBy: 'alice',
  setAsideAt: at,
};

function tallyOf(ballots: readonly TalliedBallot[]) {
  const tally = emptyTally();
  for (const ballot of ballots) addToTally(tally, ballot);
  return tally;
}

describe('setting flagged ballots aside', () => {
  const honest = [cast('h1', { choices: ['yan-jing'] }), cast('h2', { choices: ['tou-kui', 'yan-jing'] })];
  const burst = [cast('s1'), cast('s2'), cast('s3', { writeInCount: 2, district: '徐汇区' })];
  const running = tallyOf([...honest, ...burst]);

  it('subtracts exactly what the burst added: the official count is the honest ballots only', () => {
    const setAside = storedSetAside(newSetAside(input, burst, []) as NewSetAside, 'sa1');
    const official = officialTally(running, [setAside]);
    expect(official.setAside).toBe(3);
    expect(official.tally).toEqual(tallyOf(honest));
    // The running tally itself is untouched: the ballots stay counted in the log.
    expect(running.total).toBe(5);
  });

  it('takes a burst at an event out of the count of that event too', () => {
    const atEvent = (id: string, choices: string[]) =>
      cast(id, { choices, event: 'SCHOOL1', eventType: 'school', channel: 'event' });
    const hall = [atEvent('e1', ['yan-jing'])];
    const hallBurst = [atEvent('e2', ['tou-kui']), atEvent('e3', ['tou-kui', 'yan-jing'])];
    const setAside = storedSetAside(newSetAside(input, hallBurst, []) as NewSetAside, 'sa1');
    const official = officialTally(tallyOf([...honest, ...hall, ...hallBurst]), [setAside]);
    expect(official.tally).toEqual(tallyOf([...honest, ...hall]));
    expect(official.tally.eventCandidates).toEqual({ SCHOOL1: { 'yan-jing': 1 } });
  });

  it('keeps every channel and event-type key the views index, even at zero', () => {
    const setAside = storedSetAside(newSetAside(input, burst, []) as NewSetAside, 'sa1');
    const { tally } = officialTally(tallyOf(burst), [setAside]);
    expect(tally.channels).toEqual({ online: 0, event: 0, kiosk: 0 });
    expect(tally.eventTypes).toEqual({ school: 0, community: 0, market: 0 });
    expect(tally.total).toBe(0);
  });

  it('never subtracts a ballot twice when two flags share it, nor a ballot listed twice', () => {
    const first = storedSetAside(newSetAside(input, burst.slice(0, 2), []) as NewSetAside, 'sa1');
    const second = newSetAside(
      { ...input, flag: { kind: 'identical-write-ins', key: '充电宝：虚标', firstAt: at } },
      [...burst, burst[2] as (typeof burst)[number]],
      [first],
    );
    expect(second?.ballotIds).toEqual(['s3']);
    expect(newSetAside(input, burst.slice(0, 2), [first])).toBeNull();
    const official = officialTally(running, [first, storedSetAside(second as NewSetAside, 'sa2')]);
    expect(official.tally).toEqual(tallyOf(honest));
    expect(official.setAside).toBe(3);
  });

  it('counts restored ballots again, and a second restore keeps the first', () => {
    const setAside = storedSetAside(newSetAside(input, burst, []) as NewSetAside, 'sa1');
    const restored = restoredSetAside(setAside, 'bob', new Date('2027-03-15T03:00:00Z'));
    expect(restored).toMatchObject({ restoredBy: 'bob', restoredAt: '2027-03-15T03:00:00.000Z', version: 2 });
    expect(restoredSetAside(restored, 'carol', new Date('2027-03-16T00:00:00Z'))).toBe(restored);
    expect(officialTally(running, [restored])).toEqual({ tally: running, setAside: 0 });
    // Once restored, its ballots may be set aside again under another flag.
    expect(newSetAside(input, burst, [restored])?.ballotIds).toEqual(['s1', 's2', 's3']);
  });

  it('tells the public how many were set aside, and reads tallies from servers that did not say', () => {
    const setAside = storedSetAside(newSetAside(input, burst, []) as NewSetAside, 'sa1');
    const official = officialTally(running, [setAside]);
    const shown = publicTally(
      { candidates: [{ id: 'tou-kui', name: '头盔' }] } as never,
      official.tally,
      official.setAside,
    );
    expect(shown).toMatchObject({ total: 2, setAside: 3, candidates: [{ id: 'tou-kui', votes: 1 }] });
    expect(parsePublicTally(JSON.parse(JSON.stringify(shown)))).toEqual(shown);
    const { setAside: _omitted, ...older } = shown;
    expect(parsePublicTally(older)?.setAside).toBe(0);
    expect(parsePublicTally({ ...shown, setAside: -1 })).toBeNull();
  });
});
