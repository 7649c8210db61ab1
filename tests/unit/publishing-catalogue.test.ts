import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { announcementSchema, type Announcement } from '../../src/lib/content-schemas';
import {
  buildCatalogue,
  catalogueChanges,
  earlierRevision,
  entryTag,
  kindTag,
  lastStoreChange,
  latestCorrection,
  listed,
  outdated,
  sampleEntries,
  storeEntry,
  type Catalogue,
} from '../../src/lib/publishing/catalogue';
import type { Publication, PublicationRevision } from '../../src/lib/publishing/model';

const sampleFile = resolve(import.meta.dirname, '../../content/announcements/2006-shang-hai-shi-dian-re-shui-qi.json');
const base: Announcement = announcementSchema.parse(JSON.parse(readFileSync(sampleFile, 'utf8')));

function announcement(title: string, iso: string | null): Announcement {
  return {
    ...base,
    title,
    date: iso ? { text: iso, iso, year: Number(iso.slice(0, 4)) } : { text: null },
    firstPublishedAt: '2026-11-20',
  };
}

function revision(number: number, data: Announcement, publishedAt: string): PublicationRevision<'announcements'> {
  return {
    number,
    data,
    publishedAt,
    preparedBy: 'editor',
    approvedBy: 'chief',
    correctionNote: number > 1 ? `第${number}次更正` : null,
  };
}

function publication(
  slug: string,
  revisions: PublicationRevision<'announcements'>[],
  extra: Partial<Publication<'announcements'>> = {},
): Publication<'announcements'> {
  return {
    id: `pub-${slug}`,
    kind: 'announcements',
    slug,
    revisions,
    draft: null,
    withdrawal: null,
    attachments: [],
    createdAt: '2026-11-30T02:00:00.000Z',
    createdBy: 'editor',
    updatedAt: '2026-11-30T02:00:00.000Z',
    version: 1,
    ...extra,
  };
}

const sample = {
  announcements: sampleEntries<'announcements'>([
    { id: 'sample-old', data: announcement('样本旧公告', '2019-03-01') },
    { id: 'sample-new', data: announcement('样本新公告', '2025-05-29') },
  ]),
  explanations: [],
  recalls: [],
};

describe('buildCatalogue', () => {
  it('merges store items into the sample content, newest first', () => {
    const fresh = publication('fresh', [revision(1, announcement('新发布公告', '2026-11-30'), '2026-11-30T02:00:00Z')]);
    const catalogue = buildCatalogue(3, sample, [fresh]);
    expect(catalogue.version).toBe(3);
    expect(catalogue.announcements.map((entry) => [entry.id, entry.origin])).toEqual([
      ['fresh', 'store'],
      ['sample-new', 'sample'],
      ['sample-old', 'sample'],
    ]);
  });

  it('lets a store item of the same slug replace the sample item (a correction of sample content)', () => {
    const corrected = announcement('样本新公告（更正）', '2025-05-29');
    const catalogue = buildCatalogue(1, sample, [
      publication('sample-new', [revision(1, corrected, '2026-11-30T02:00:00Z')]),
    ]);
    expect(catalogue.announcements).toHaveLength(2);
    const entry = catalogue.announcements.find((candidate) => candidate.id === 'sample-new')!;
    expect(entry.origin).toBe('store');
    expect(entry.data.title).toBe('样本新公告（更正）');
  });

  it('shows the latest revision and keeps the earlier ones', () => {
    const first = revision(1, announcement('初版', '2026-11-01'), '2026-11-01T02:00:00Z');
    const second = revision(2, announcement('更正版', '2026-11-01'), '2026-11-02T02:00:00Z');
    const [entry] = buildCatalogue(1, { ...sample, announcements: [] }, [
      publication('p', [first, second]),
    ]).announcements;
    expect(entry!.data.title).toBe('更正版');
    expect(entry!.revisions).toEqual([first, second]);
    expect(latestCorrection(entry!)).toBe(second);
  });

  it('keeps a withdrawn item with its withdrawal, out of the listed entries', () => {
    const withdrawal = { reason: '数据有误', at: '2026-11-30T03:00:00Z', by: 'chief' };
    const withdrawn = publication(
      'gone',
      [revision(1, announcement('撤回的公告', '2026-11-29'), '2026-11-29T02:00:00Z')],
      {
        withdrawal,
      },
    );
    const catalogue = buildCatalogue(1, sample, [withdrawn]);
    const entry = catalogue.announcements.find((candidate) => candidate.id === 'gone')!;
    expect(entry.withdrawal).toEqual(withdrawal);
    expect(listed(entry)).toBe(false);
    expect(catalogue.announcements.filter(listed).map((candidate) => candidate.id)).toEqual([
      'sample-new',
      'sample-old',
    ]);
  });

  it('withdraws sample content through a store record without revisions', () => {
    const withdrawal = { reason: '来源已撤下', at: '2026-11-30T03:00:00Z', by: 'chief' };
    const entry = buildCatalogue(1, sample, [publication('sample-old', [], { withdrawal })]).announcements.find(
      (candidate) => candidate.id === 'sample-old',
    )!;
    expect(entry.data.title).toBe('样本旧公告');
    expect(entry.withdrawal).toEqual(withdrawal);
  });

  it('offers the attachments of a published item for download, none of a withdrawn one or of sample content', () => {
    const ref = {
      id: 'f_abcdefghijkl',
      fileName: '公告原件.pdf',
      mediaType: 'application/pdf',
      bytes: 2048,
      sha256: 'a'.repeat(64),
      uploadedAt: '2026-11-29T02:00:00Z',
      uploadedBy: 'editor',
    };
    const first = revision(1, announcement('有附件的公告', '2026-11-29'), '2026-11-29T02:00:00Z');
    const withdrawal = { reason: '数据有误', at: '2026-11-30T03:00:00Z', by: 'chief' };
    const catalogue = buildCatalogue(1, sample, [
      publication('with-file', [first], { attachments: [ref] }),
      publication('withdrawn-file', [first], { attachments: [ref], withdrawal }),
    ]);
    const byId = (id: string) => catalogue.announcements.find((candidate) => candidate.id === id)!;
    expect(byId('with-file').attachments).toEqual([ref]);
    expect(byId('withdrawn-file').attachments).toEqual([]);
    expect(byId('sample-new').attachments).toEqual([]);
  });

  it('leaves out a store item that was never published', () => {
    expect(storeEntry(publication('draft-only', []), undefined)).toBeNull();
    expect(buildCatalogue(1, sample, [publication('draft-only', [])]).announcements).toHaveLength(2);
  });
});

describe('catalogueChanges', () => {
  const first = publication('p', [revision(1, announcement('初版', '2026-11-01'), '2026-11-01T02:00:00Z')]);
  const reuse = new Map<string, ReturnType<typeof storeEntry>>();
  // Like the server's catalogue: an unchanged record keeps its entry object across versions.
  const build = (version: number, published: Publication<'announcements'>[]): Catalogue =>
    buildCatalogue(version, sample, published, {
      entryOf: (record, sampleData) => {
        const key = `${record.id}@${record.version}`;
        if (!reuse.has(key)) reuse.set(key, storeEntry(record, sampleData));
        return reuse.get(key) as never;
      },
    });

  it('names the changed kind and item, and nothing when nothing changed', () => {
    const before = build(1, [first]);
    expect(catalogueChanges(before, build(2, [first]))).toEqual([]);
    const corrected = {
      ...first,
      version: 2,
      revisions: [...first.revisions, revision(2, announcement('更正', '2026-11-01'), '2026-11-02T00:00:00Z')],
    };
    expect(catalogueChanges(before, build(3, [corrected]))).toEqual([
      kindTag('announcements'),
      entryTag('announcements', 'p'),
    ]);
  });

  it('names added and removed items', () => {
    const before = build(1, []);
    const after = build(2, [first]);
    expect(catalogueChanges(before, after)).toEqual([kindTag('announcements'), entryTag('announcements', 'p')]);
    expect(catalogueChanges(after, before)).toEqual([kindTag('announcements'), entryTag('announcements', 'p')]);
  });
});

describe('lastStoreChange', () => {
  it('is the latest publication or withdrawal of a store item, null for sample content only', () => {
    const catalogue = buildCatalogue(1, sample, [
      publication('a', [revision(1, announcement('甲', '2026-11-01'), '2026-11-01T02:00:00Z')]),
      publication('b', [revision(1, announcement('乙', '2026-11-01'), '2026-11-02T02:00:00Z')], {
        withdrawal: { reason: '重复发布', at: '2026-11-03T08:00:00+08:00', by: 'chief' },
      }),
    ]);
    expect(lastStoreChange(catalogue.announcements)).toBe('2026-11-03T08:00:00+08:00');
    expect(lastStoreChange(sample.announcements)).toBeNull();
  });
});

describe('earlierRevision', () => {
  const entry = {
    revisions: [
      revision(1, announcement('初版', '2026-11-01'), '2026-11-01T02:00:00Z'),
      revision(2, announcement('更正版', '2026-11-01'), '2026-11-02T02:00:00Z'),
    ],
  };
  it('finds an earlier version by the number in its address', () => {
    expect(earlierRevision(entry, '1')?.revision.data.title).toBe('初版');
    expect(earlierRevision(entry, '1')?.latest.number).toBe(2);
  });
  it('refuses the latest (its address is the item’s own), unknown and malformed numbers', () => {
    for (const text of ['2', '3', '0', '01', '1.0', '-1', 'abc', '', '9999999'])
      expect(earlierRevision(entry, text)).toBeNull();
  });
});

describe('outdated (route cache)', () => {
  it('refuses a cached page rendered from a catalogue older than the last invalidation of one of its tags', () => {
    const invalidatedAt = new Map([[kindTag('announcements'), 5]]);
    expect(outdated([kindTag('announcements'), 'catalogue:4'], invalidatedAt)).toBe(true);
    expect(outdated([kindTag('announcements'), 'catalogue:5'], invalidatedAt)).toBe(false);
    expect(outdated([kindTag('recalls'), 'catalogue:4'], invalidatedAt)).toBe(false);
  });
  it('takes the oldest catalogue a page read when it read more than one', () => {
    const invalidatedAt = new Map([[kindTag('recalls'), 5]]);
    expect(outdated([kindTag('recalls'), 'catalogue:5', 'catalogue:4'], invalidatedAt)).toBe(true);
  });
});
