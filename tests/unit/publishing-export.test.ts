/** What the content export writes and skips (lib/publishing/export). */
import { describe, expect, it } from 'vitest';
import { announcementSchema } from '../../src/lib/content-schemas';
import { planContentExport } from '../../src/lib/publishing/export';
import type { Publication } from '../../src/lib/publishing/model';
import { createdPublication } from '../../src/lib/publishing/records';
import { exampleAnnouncement, newPublication } from '../support/store-contract';

function published(slug: string): Publication {
  return createdPublication(newPublication(slug, { published: true }), `p_${slug}`, new Date('2026-12-01T02:00:00Z'));
}

describe('planContentExport', () => {
  it('writes the latest revision in the content/ file format, defaults filled in', () => {
    const corrected = published('dian-xian');
    const { titleComposed: _omitted, ...withoutDefault } = exampleAnnouncement('更正后的标题');
    corrected.revisions.push({
      ...(corrected.revisions[0] as Publication['revisions'][number]),
      number: 2,
      data: withoutDefault as Publication['revisions'][number]['data'],
      correctionNote: '更正了标题',
    });
    const plan = planContentExport([corrected]);
    expect(plan.skipped).toEqual([]);
    expect(plan.files.map((file) => file.path)).toEqual(['announcements/dian-xian.json']);
    const text = plan.files[0]?.text as string;
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(`${JSON.stringify(announcementSchema.parse(withoutDefault), null, 2)}\n`);
    expect(JSON.parse(text)).toMatchObject({ title: '更正后的标题', titleComposed: false });
  });

  it('skips withdrawn and unpublished items, content the build would refuse, and slugs that are no file name', () => {
    const withdrawn = { ...published('gone'), withdrawal: { reason: '数据有误', at: 'x', by: 'bob' } };
    const draftOnly = createdPublication(newPublication('draft'), 'p_draft', new Date());
    const broken = published('broken');
    (broken.revisions[0] as { data: unknown }).data = {
      ...exampleAnnouncement('x'),
      batches: { sampled: 1, failed: 2 },
    };
    const escaping = published('ok');
    escaping.slug = '../../etc';
    const plan = planContentExport([withdrawn, draftOnly, broken, escaping, published('kept')]);
    expect(plan.files.map((file) => file.path)).toEqual(['announcements/kept.json']);
    expect(plan.skipped).toEqual([
      { item: 'announcements/gone', reason: '已撤回（数据有误），不导出' },
      { item: 'announcements/draft', reason: '尚未发布' },
      { item: 'announcements/broken', reason: expect.stringContaining('batches.failed') },
      { item: 'announcements/../../etc', reason: expect.stringContaining('slug') },
    ]);
  });
});
