import { describe, expect, it } from 'vitest';
import { BurstDetector, describeFlag } from '../../src/lib/admin/suspicious';
import { rankNominations, tallyBreakdown } from '../../src/lib/admin/tally-breakdown';
import type { WriteInModeration } from '../../src/lib/admin/types';
import { groupWriteIns, normaliseProduct, type IndexedWriteIn } from '../../src/lib/admin/write-in-groups';
import { addToTally, emptyTally } from '../../src/lib/voting/tally';

describe('normaliseProduct', () => {
  it.each([
    ['充电宝', '移动电源'],
    ['移动电源产品', '移动电源'],
    ['  移动电源 类 ', '移动电源'],
    ['ＵＳＢ充电宝！', 'usb移动电源'],
    ['电动车', '电动自行车'],
    ['电动自行车等', '电动自行车'],
    ['电瓶车头盔', '电动自行车头盔'],
    ['安全头盔', '头盔'],
    ['头盔产品', '头盔'],
    ['儿童 玩具、', '儿童玩具'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseProduct(input)).toBe(expected);
  });

  it('keeps different products apart', () => {
    expect(normaliseProduct('电动自行车充电器')).not.toBe(normaliseProduct('电动自行车'));
    expect(normaliseProduct('类')).toBe('类');
  });
});

const entry = (key: string, product: string, choices: string[] = []): IndexedWriteIn => ({
  key,
  ballotId: key.split('#')[0] as string,
  product,
  issue: '质量问题',
  venue: null,
  createdAt: '2027-03-01T02:00:00Z',
  choices,
  invisibleRemoved: false,
});

const decided = (
  key: string,
  status: WriteInModeration['status'],
  extra: Partial<WriteInModeration> = {},
): WriteInModeration => ({
  campaignId: 'c',
  key,
  status,
  reason: null,
  mergedInto: null,
  decidedBy: 'admin',
  decidedAt: '2027-03-02T00:00:00Z',
  version: 1,
  ...extra,
});

describe('groupWriteIns', () => {
  it('groups the same product named differently, most used wording as the label', () => {
    const groups = groupWriteIns(
      [entry('b1#0', '充电宝'), entry('b2#0', '充电宝'), entry('b3#0', '移动电源产品'), entry('b4#0', '儿童滑板车')],
      [decided('b3#0', 'approved')],
    );
    expect(groups.map((group) => group.groupKey)).toEqual(['移动电源', '儿童滑板车']);
    expect(groups[0]?.label).toBe('充电宝');
    expect(groups[0]?.variants).toEqual(['移动电源产品']);
    expect(groups[0]?.counts).toEqual({ pending: 2, approved: 1, rejected: 0, merged: 0 });
    expect(groups[0]?.entries.find((e) => e.key === 'b3#0')?.version).toBe(1);
  });
});

describe('rankNominations', () => {
  const candidates = [
    { id: 'yi-dong-dian-yuan', name: '移动电源' },
    { id: 'tou-kui', name: '头盔' },
    { id: 'yan-jing', name: '眼镜' },
  ];

  it('adds merged write-ins to their target once per ballot and ranks ties together', () => {
    const entries = [
      entry('b1#0', '充电宝', ['tou-kui']),
      entry('b2#0', '充电宝', ['yi-dong-dian-yuan']), // chose it already: not counted twice
      entry('b3#0', '移动电源产品'),
      entry('b4#0', '电动车头盔'),
      entry('b4#1', '电瓶车头盔'), // same ballot, same group: one vote
      entry('b5#0', '电动自行车头盔'),
      entry('b6#0', '奶粉'),
    ];
    const moderation = [
      decided('b1#0', 'merged', { mergedInto: { kind: 'candidate', candidateId: 'yi-dong-dian-yuan' } }),
      decided('b2#0', 'merged', { mergedInto: { kind: 'candidate', candidateId: 'yi-dong-dian-yuan' } }),
      decided('b3#0', 'merged', { mergedInto: { kind: 'candidate', candidateId: 'yi-dong-dian-yuan' } }),
      decided('b4#0', 'approved'),
      decided('b4#1', 'approved'),
      decided('b5#0', 'approved'),
      decided('b6#0', 'rejected', { reason: '不属于抽查范围' }),
    ];
    const ranking = rankNominations(
      candidates,
      { candidates: { 'yi-dong-dian-yuan': 1, 'tou-kui': 2 } },
      groupWriteIns(entries, moderation),
    );
    expect(
      ranking.map(({ nomination, votes, mergedVotes, rank }) => ({ nomination, votes, mergedVotes, rank })),
    ).toEqual([
      { nomination: 'c:yi-dong-dian-yuan', votes: 3, mergedVotes: 2, rank: 1 },
      { nomination: 'w:电动自行车头盔', votes: 2, mergedVotes: 0, rank: 2 },
      { nomination: 'c:tou-kui', votes: 2, mergedVotes: 0, rank: 2 },
      { nomination: 'c:yan-jing', votes: 0, mergedVotes: 0, rank: 4 },
    ]);
  });

  it('follows a group merged into another group into a candidate', () => {
    const entries = [entry('b1#0', '排插'), entry('b2#0', '插头'), entry('b3#0', '插头')];
    const moderation = [
      decided('b1#0', 'merged', { mergedInto: { kind: 'writeIn', groupKey: '插头' } }),
      decided('b2#0', 'merged', { mergedInto: { kind: 'candidate', candidateId: 'yan-jing' } }),
      decided('b3#0', 'merged', { mergedInto: { kind: 'candidate', candidateId: 'yan-jing' } }),
    ];
    const ranking = rankNominations(candidates, { candidates: {} }, groupWriteIns(entries, moderation));
    expect(ranking[0]).toMatchObject({ nomination: 'c:yan-jing', votes: 3, mergedVotes: 3 });
  });
});

describe('tallyBreakdown', () => {
  it('breaks a tally down by channel, event, event type, district, hour and day', () => {
    const tally = emptyTally();
    const ballot = { choices: ['a'], writeInCount: 0, event: null, eventType: null, district: null } as const;
    addToTally(tally, { ...ballot, channel: 'online', district: '徐汇区', createdAt: '2027-03-01T01:10:00Z' });
    addToTally(tally, {
      ...ballot,
      channel: 'event',
      event: 'K7M2QX',
      eventType: 'school',
      createdAt: '2027-03-01T01:50:00Z',
    });
    addToTally(tally, {
      ...ballot,
      channel: 'kiosk',
      event: 'K7M2QX',
      eventType: 'school',
      createdAt: '2027-03-01T17:00:00Z',
    });
    addToTally(tally, { ...ballot, channel: 'online', district: '徐汇区', createdAt: '2027-03-02T03:00:00Z' });
    const breakdown = tallyBreakdown(tally, new Map([['K7M2QX', '进校园（示例小学）']]));
    expect(breakdown.channels.map((row) => [row.key, row.count])).toEqual([
      ['online', 2],
      ['event', 1],
      ['kiosk', 1],
    ]);
    expect(breakdown.events).toEqual([{ key: 'K7M2QX', label: '进校园（示例小学）（K7M2QX）', count: 2, share: 0.5 }]);
    expect(breakdown.eventTypes.find((row) => row.key === 'school')?.count).toBe(2);
    expect(breakdown.districts.find((row) => row.key === '徐汇区')?.count).toBe(2);
    expect(breakdown.noDistrict).toBe(2);
    // Beijing time: 01:10Z and 01:50Z are both 09:xx on 1 March; 17:00Z is 01:00 on 2 March.
    expect(breakdown.hours.map((row) => [row.key, row.count])).toEqual([
      ['2027-03-01T09', 2],
      ['2027-03-02T01', 1],
      ['2027-03-02T11', 1],
    ]);
    expect(breakdown.days.map((row) => [row.key, row.count])).toEqual([
      ['2027-03-01', 2],
      ['2027-03-02', 2],
    ]);
  });
});

describe('BurstDetector', () => {
  const rule = { kind: 'kiosk-burst' as const, windowSeconds: 60, threshold: 6 };

  it('flags a kiosk voting faster than people can, and extends the flag while the burst lasts', () => {
    const detector = new BurstDetector(rule);
    for (let i = 0; i < 8; i += 1) detector.add('k_1', i * 5_000, `b${i}`);
    const flags = detector.flags();
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({
      key: 'k_1',
      count: 8,
      firstAt: new Date(0).toISOString(),
      lastAt: new Date(35_000).toISOString(),
    });
    expect(describeFlag(flags[0]!)).toContain('8 张');
  });

  it('does not flag a steady pace a person can keep, nor other keys', () => {
    const detector = new BurstDetector(rule);
    for (let i = 0; i < 50; i += 1) detector.add('k_1', i * 15_000, `b${i}`);
    for (let i = 0; i < 3; i += 1) detector.add('k_2', i, `c${i}`);
    expect(detector.flags()).toEqual([]);
  });

  it('opens a new flag for a second burst later on', () => {
    const detector = new BurstDetector(rule);
    for (let i = 0; i < 6; i += 1) detector.add('k', i * 1_000, `a${i}`);
    for (let i = 0; i < 6; i += 1) detector.add('k', 3_600_000 + i * 1_000, `b${i}`);
    expect(detector.flags().map((flag) => flag.count)).toEqual([6, 6]);
  });
});
