import { describe, expect, it } from 'vitest';
import { addToTally, beijingHour, emptyTally, eventTally, publicTally } from '../../src/lib/voting/tally';

describe('tallies', () => {
  it('counts candidates, channels, events, event types, districts, hours and write-ins', () => {
    const tally = emptyTally();
    addToTally(tally, {
      choices: ['a', 'b'],
      writeInCount: 1,
      district: '青浦区',
      event: null,
      eventType: null,
      channel: 'online',
      createdAt: '2027-03-15T01:30:00.000Z',
    });
    addToTally(tally, {
      choices: ['a'],
      writeInCount: 0,
      district: null,
      event: 'K7M2QX',
      eventType: 'school',
      channel: 'kiosk',
      createdAt: '2027-03-15T01:59:00.000Z',
    });
    addToTally(tally, {
      choices: [],
      writeInCount: 2,
      district: '青浦区',
      event: 'K7M2QX',
      eventType: 'school',
      channel: 'event',
      createdAt: '2027-03-15T00:10:00.000Z',
    });
    expect(tally).toEqual({
      total: 3,
      candidates: { a: 2, b: 1 },
      channels: { online: 1, event: 1, kiosk: 1 },
      events: { K7M2QX: 2 },
      eventCandidates: { K7M2QX: { a: 1 } },
      eventTypes: { school: 2, community: 0, market: 0 },
      districts: { 青浦区: 2 },
      hours: { '2027-03-15T09': 2, '2027-03-15T08': 1 },
      writeIns: 3,
      updatedAt: '2027-03-15T01:59:00.000Z',
    });
  });

  it('buckets hours in Beijing time across midnight UTC', () => {
    expect(beijingHour('2027-03-14T16:00:00.000Z')).toBe('2027-03-15T00');
  });

  it('the public view lists every candidate in campaign order and nothing written in', () => {
    const tally = emptyTally();
    addToTally(tally, {
      choices: ['b'],
      writeInCount: 3,
      district: null,
      event: null,
      eventType: null,
      channel: 'online',
      createdAt: '2027-01-01T00:00:00.000Z',
    });
    const view = publicTally(
      {
        candidates: [
          { id: 'a', name: '甲', reason: 'r' },
          { id: 'b', name: '乙', reason: 'r' },
        ],
      },
      tally,
    );
    expect(view).toEqual({
      total: 1,
      candidates: [
        { id: 'a', name: '甲', votes: 0 },
        { id: 'b', name: '乙', votes: 1 },
      ],
      setAside: 0,
      events: {},
      updatedAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('counts the votes of each event apart, so its projector shows the hall its own ballots', () => {
    const tally = emptyTally();
    const ballot = (choices: string[], event: string | null) =>
      addToTally(tally, {
        choices,
        writeInCount: 0,
        district: null,
        event,
        eventType: event ? 'school' : null,
        channel: event ? 'event' : 'online',
        createdAt: '2027-03-15T02:00:00.000Z',
      });
    ballot(['a', 'b'], 'SCHOOL1');
    ballot(['b'], 'SCHOOL1');
    ballot(['a'], 'MARKET2');
    ballot(['a', 'b'], null);
    expect(tally.eventCandidates).toEqual({ SCHOOL1: { a: 1, b: 2 }, MARKET2: { a: 1 } });
    const campaign = {
      candidates: [
        { id: 'a', name: '甲', reason: 'r' },
        { id: 'b', name: '乙', reason: 'r' },
      ],
    };
    const view = publicTally(campaign, tally);
    expect(view.total).toBe(4);
    expect(eventTally(view, 'SCHOOL1')).toMatchObject({
      total: 2,
      candidates: [
        { id: 'a', name: '甲', votes: 1 },
        { id: 'b', name: '乙', votes: 2 },
      ],
    });
    // An event without ballots yet shows zeros, not the campaign's counts.
    expect(eventTally(view, 'NONE').candidates.map((c) => c.votes)).toEqual([0, 0]);
    expect(eventTally(view, 'NONE').total).toBe(0);
  });
});

describe('beijingHour', () => {
  it('gives the same hour for ISO strings with and without milliseconds or offsets', () => {
    expect(beijingHour('2027-03-14T15:59:59.999Z')).toBe('2027-03-14T23');
    expect(beijingHour('2027-03-14T16:00:00Z')).toBe('2027-03-15T00');
    expect(beijingHour('2027-03-15T00:30:00+08:00')).toBe('2027-03-15T00');
  });
});
