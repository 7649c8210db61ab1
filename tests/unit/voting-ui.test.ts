import { describe, expect, test } from 'vitest';
import type { PublicTally } from '../../src/lib/voting/tally';
import { announcementDelay, parsePublicTally, tallyAnnouncement, tallyBars } from '../../src/lib/voting/tally-view';
import {
  ballotRequestBody,
  emptyBallot,
  errorFieldId,
  toggleChoice,
  valuesFromFields,
} from '../../src/lib/voting/ballot-form';

const tally: PublicTally = {
  total: 10,
  candidates: [
    { id: 'a', name: '儿童书包', votes: 3 },
    { id: 'b', name: '电动自行车', votes: 6 },
    { id: 'c', name: '插座', votes: 3 },
  ],
  setAside: 0,
  events: { SCHOOL1: { total: 4, votes: { a: 1, b: 3 } } },
  updatedAt: '2027-03-15T06:05:00.000Z',
};

describe('tallyBars', () => {
  test('orders by votes and keeps the campaign order for ties', () => {
    expect(tallyBars(tally).map((bar) => bar.id)).toEqual(['b', 'a', 'c']);
  });

  test('scales bars to the leader and shares to the number of ballots', () => {
    const [leader, second] = tallyBars(tally);
    expect(leader).toMatchObject({ widthPercent: 100, shareOfBallots: 60 });
    expect(second).toMatchObject({ widthPercent: 50, shareOfBallots: 30 });
  });

  test('draws empty bars when nobody has voted yet', () => {
    const empty = { ...tally, total: 0, candidates: tally.candidates.map((c) => ({ ...c, votes: 0 })) };
    expect(tallyBars(empty).every((bar) => bar.widthPercent === 0 && bar.shareOfBallots === 0)).toBe(true);
  });
});

describe('parsePublicTally', () => {
  test('accepts the API shape', () => {
    expect(parsePublicTally(JSON.parse(JSON.stringify(tally)))).toEqual(tally);
  });

  test('reads a tally without per-event counts (an older server) as having none', () => {
    const { events: _events, ...older } = tally;
    expect(parsePublicTally(older)).toEqual({ ...tally, events: {} });
  });

  test.each([
    ['null', null],
    ['a negative count', { ...tally, total: -1 }],
    ['a candidate without votes', { ...tally, candidates: [{ id: 'a', name: 'x' }] }],
    ['a missing time', { total: 1, candidates: [] }],
    ['an event without a total', { ...tally, events: { SCHOOL1: { votes: {} } } }],
  ])('rejects %s', (_, input) => {
    expect(parsePublicTally(input)).toBeNull();
  });
});

describe('announcements', () => {
  test('name the total and the leader', () => {
    expect(tallyAnnouncement(tally)).toBe('目前共 10 人投票，电动自行车 得票最多，6 票。');
  });

  test('wait out the rest of the gap since the last one', () => {
    expect(announcementDelay(null, 1000, 30_000)).toBe(0);
    expect(announcementDelay(1000, 11_000, 30_000)).toBe(20_000);
    expect(announcementDelay(1000, 40_000, 30_000)).toBe(0);
  });
});

describe('ballot form', () => {
  test('ticking stops at the limit and unticking frees a place', () => {
    let choices = toggleChoice([], 'a', 2);
    choices = toggleChoice(choices, 'b', 2);
    expect(toggleChoice(choices, 'c', 2)).toEqual(['a', 'b']);
    expect(toggleChoice(choices, 'a', 2)).toEqual(['b']);
  });

  test('the JSON body drops blank write-ins and an unset district, and trims text', () => {
    const values = emptyBallot();
    values.choices = ['a'];
    values.writeIns[1] = { product: ' 充电宝 ', issue: '发烫', venue: '' };
    expect(ballotRequestBody(values, undefined)).toEqual({
      choices: ['a'],
      writeIns: [{ product: '充电宝', issue: '发烫', venue: '' }],
    });
    values.district = '松江区';
    expect(ballotRequestBody(values, 'ABC123')).toMatchObject({ district: '松江区', event: 'ABC123' });
  });

  test('a refused no-JS vote refills the form from the query, ignoring unknown candidates', () => {
    const params = new URLSearchParams('error=TOO_MANY_CHOICES&choices=a&choices=zzz&product2=书包&district=黄浦区');
    const values = valuesFromFields(params, ['a', 'b']);
    expect(values.choices).toEqual(['a']);
    expect(values.writeIns[1]?.product).toBe('书包');
    expect(values.district).toBe('黄浦区');
  });

  test('errors link to the field they are about', () => {
    expect(errorFieldId('TOO_MANY_CHOICES')).toBe('choices');
    expect(errorFieldId('INVALID_WRITE_IN')).toBe('product1');
    expect(errorFieldId('RATE_LIMITED')).toBeNull();
  });
});
