/**
 * A rate the source stated is shown under the source's own word: a failure figure never sits under
 * a pass-rate label. Checked on the rule and on every shipped announcement.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcementSchema } from '../../src/lib/content-schemas';
import { statedRate } from '../../src/lib/sampling/pass-rate';

const announcementsDir = resolve(import.meta.dirname, '..', '..', 'content', 'announcements');
const shipped = readdirSync(announcementsDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({
    name,
    data: announcementSchema.parse(JSON.parse(readFileSync(join(announcementsDir, name), 'utf8'))),
  }));

describe('statedRate', () => {
  it('labels each kind with the source word', () => {
    expect(statedRate('批次不合格率为34%')).toEqual({ kind: 'fail', label: '不合格率', text: '批次不合格率为34%' });
    expect(statedRate('不符合率12.6%')?.label).toBe('不符合率');
    expect(statedRate('总体不合格商品检出率为28.9%')).toMatchObject({
      kind: 'fail-detection',
      label: '不合格商品检出率',
    });
    expect(statedRate('不合格发现率为9.8%')).toMatchObject({ kind: 'fail-detection', label: '不合格发现率' });
    expect(statedRate('抽样合格率仅为24%')).toMatchObject({ kind: 'pass', label: '合格率' });
    expect(statedRate('全部合格')).toMatchObject({ kind: 'pass', label: '合格情况' });
    expect(statedRate(null)).toBeNull();
  });

  it('puts no failure figure under a pass label in any shipped announcement', () => {
    const stated = shipped.flatMap(({ name, data }) => {
      const rate = statedRate(data.passRateStated);
      return rate ? [{ name, ...rate }] : [];
    });
    expect(stated.filter((r) => r.kind !== 'pass').length).toBeGreaterThanOrEqual(33);
    const mislabelled = stated.filter((r) => r.label.startsWith('合格') && /不合格|不符合/.test(r.text));
    expect(mislabelled).toEqual([]);
    for (const rate of stated.filter((r) => r.label.endsWith('率'))) expect(rate.text).toContain(rate.label);
  });
});
