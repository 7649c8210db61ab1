import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, planCsv, planJson, PLAN_CSV_HEADERS } from '../../src/lib/admin/plan-export';
import { defaultAdoptionReason, orderPlanItems } from '../../src/lib/admin/plan-rules';
import type { PlanItem } from '../../src/lib/admin/types';

const item = (overrides: Partial<PlanItem>): PlanItem => ({
  id: 'p-1',
  year: 2027,
  category: '头盔',
  method: '监督抽查',
  quarters: [2],
  plannedBatches: 30,
  stages: ['流通', '电商'],
  reason: '得票第一',
  campaignId: '2027-ni-dian-wo-cha',
  nomination: 'c:tou-kui',
  createdBy: 'admin',
  createdAt: '2027-01-05T02:00:00.000Z',
  updatedBy: 'editor1',
  updatedAt: '2027-01-06T02:00:00.000Z',
  version: 2,
  ...overrides,
});

describe('csvCell', () => {
  it('quotes every field and doubles quotes', () => {
    expect(csvCell('头盔')).toBe('"头盔"');
    expect(csvCell('说 "好"，再见')).toBe('"说 ""好""，再见"');
    expect(csvCell('两行\r\n文字')).toBe('"两行\r\n文字"');
    expect(csvCell(30)).toBe('"30"');
    expect(csvCell(null)).toBe('""');
  });

  it.each(['=1+1', '+86 123', '-5', '@SUM(A1)', '\t=cmd', '\r=cmd'])('guards %j against formula injection', (value) => {
    expect(csvCell(value).startsWith(`"'`)).toBe(true);
  });
});

describe('planCsv', () => {
  it('is UTF-8 text with a BOM, CRLF line ends, headers, and rows in plan order', () => {
    const csv = planCsv(
      [
        item({
          id: 'p-2',
          category: '眼镜',
          quarters: [3, 1],
          plannedBatches: null,
          stages: [],
          nomination: 'c:yan-jing',
        }),
        item({}),
      ],
      new Map([
        ['2027-ni-dian-wo-cha|c:tou-kui', '头盔'],
        ['2027-ni-dian-wo-cha|c:yan-jing', '眼镜'],
      ]),
    );
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(csv.replaceAll('\r\n', '')).not.toContain('\n');
    expect(lines[0]).toBe(PLAN_CSV_HEADERS.map((header) => `"${header}"`).join(','));
    expect(lines[1]).toBe(
      '"2027","1","眼镜","监督抽查","第1、3季度","","","群众点题：眼镜","2027-ni-dian-wo-cha","得票第一","editor1","2027-01-06T02:00:00.000Z"',
    );
    expect(lines[2]).toContain('"2","头盔","监督抽查","第2季度","30","流通、电商","群众点题：头盔"');
  });

  it('writes only the header row for an empty plan', () => {
    expect(planCsv([], new Map()).split('\r\n')).toHaveLength(2);
  });
});

describe('planJson', () => {
  it('numbers the items and leaves out who edited them and their versions', () => {
    const json = planJson(
      2027,
      [item({})],
      new Map([['2027-ni-dian-wo-cha|c:tou-kui', '头盔']]),
      new Date('2027-02-01T00:00:00Z'),
    );
    expect(json.items[0]).toMatchObject({ seq: 1, category: '头盔', nominationLabel: '头盔', quarters: [2] });
    expect(json.items[0]).not.toHaveProperty('version');
    expect(json.items[0]).not.toHaveProperty('updatedBy');
  });
});

describe('plan rules', () => {
  it('orders items by first quarter, then category', () => {
    const ordered = orderPlanItems([
      item({ id: 'a', quarters: [4], category: '插座' }),
      item({ id: 'b', quarters: [2, 4], category: '眼镜' }),
      item({ id: 'c', quarters: [2], category: '插座' }),
    ]);
    expect(ordered.map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
  });

  it('words the default reason from votes and rank', () => {
    expect(defaultAdoptionReason(128, 2, 14)).toBe('群众点题得票 128 票，在 14 项点题中排第 2 名。');
  });
});
