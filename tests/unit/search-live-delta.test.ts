import { describe, expect, test } from 'vitest';
import {
  baseOnlyManifest,
  liveResults,
  parseLiveManifest,
  planDelta,
  revisionsOf,
  withoutSuperseded,
  withRevision,
  type LiveManifest,
} from '../../src/lib/search/live-delta';
import { SEARCH_LANGUAGE, type SearchRecord } from '../../src/lib/search/records';

const record = (url: string, content: string, meta: Record<string, string> = { title: content }): SearchRecord =>
  withRevision({ url, content, language: SEARCH_LANGUAGE, meta });

describe('withRevision', () => {
  test('the same record gets the same revision; any change to what is indexed or shown changes it', () => {
    const base = record('/announcements/a/', '电热毯');
    expect(base.meta.revision).toMatch(/^[0-9a-z]+$/);
    expect(record('/announcements/a/', '电热毯').meta.revision).toBe(base.meta.revision);
    expect(record('/announcements/a/', '电热毯 更正').meta.revision).not.toBe(base.meta.revision);
    expect(record('/announcements/b/', '电热毯').meta.revision).not.toBe(base.meta.revision);
    expect(record('/announcements/a/', '电热毯', { title: '另一个标题' }).meta.revision).not.toBe(base.meta.revision);
    expect(base.meta.title).toBe('电热毯');
  });
});

describe('planDelta', () => {
  const kept = record('/announcements/kept/', '保留的公告');
  const corrected = record('/announcements/corrected/', '原来的文字');
  const withdrawn = record('/announcements/withdrawn/', '将被撤回');
  const base = revisionsOf([kept, corrected, withdrawn]);

  test('the same catalogue needs no delta', () => {
    expect(planDelta(base, [kept, corrected, withdrawn])).toEqual({ records: [], superseded: [] });
  });

  test('an added item goes into the delta and supersedes nothing', () => {
    const added = record('/announcements/new/', '新公告');
    expect(planDelta(base, [added, kept, corrected, withdrawn])).toEqual({ records: [added], superseded: [] });
  });

  test('a corrected item goes into the delta and supersedes its base revision', () => {
    const correction = record('/announcements/corrected/', '更正后的文字');
    expect(planDelta(base, [kept, correction, withdrawn])).toEqual({
      records: [correction],
      superseded: [{ url: corrected.url, revision: corrected.meta.revision }],
    });
  });

  test('a withdrawn item supersedes its base record and adds nothing', () => {
    expect(planDelta(base, [kept, corrected])).toEqual({
      records: [],
      superseded: [{ url: withdrawn.url, revision: withdrawn.meta.revision }],
    });
  });

  test('a correction reverted to what the base holds needs no delta again', () => {
    expect(planDelta(base, [kept, record('/announcements/corrected/', '原来的文字'), withdrawn])).toEqual({
      records: [],
      superseded: [],
    });
  });
});

describe('the manifest', () => {
  const manifest: LiveManifest = {
    version: 7,
    baseVersion: 5,
    delta: '/pagefind/delta/b5-v7/',
    superseded: [{ url: '/announcements/corrected/', revision: 'old' }],
  };

  test('parses what the server writes, and only that', () => {
    expect(parseLiveManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    expect(parseLiveManifest(baseOnlyManifest(3))).toEqual({ version: 3, baseVersion: 3, delta: null, superseded: [] });
    for (const broken of [
      null,
      '<html>',
      [],
      { ...manifest, version: '7' },
      { ...manifest, delta: 'https://elsewhere.example/pagefind/' },
      { ...manifest, delta: '/pagefind/delta/b5-v7' },
      { ...manifest, superseded: [{ url: '/x/' }] },
      { ...manifest, superseded: 'all' },
    ])
      expect(parseLiveManifest(broken)).toBeNull();
  });

  const hit = (url: string, revision?: string) => ({ url, meta: revision === undefined ? {} : { revision } });

  test('drops the superseded base record, keeps its correction and every other result', () => {
    const results = [
      hit('/announcements/corrected/', 'old'),
      hit('https://portal.example/announcements/corrected/', 'old'),
      hit('/announcements/corrected/', 'new'),
      hit('/announcements/other/', 'old'),
      hit('/practice/'),
    ];
    expect(withoutSuperseded(results, manifest)).toEqual([
      hit('/announcements/corrected/', 'new'),
      hit('/announcements/other/', 'old'),
      hit('/practice/'),
    ]);
    expect(withoutSuperseded(results, null)).toEqual(results);
  });

  test('a record found in both the base and the delta is shown once', () => {
    const twice = [
      hit('/announcements/new/', 'n1'),
      hit('/announcements/new/', 'n1'),
      hit('/announcements/new/', 'n2'),
    ];
    expect(withoutSuperseded(twice, { ...manifest, superseded: [] })).toEqual([twice[0], twice[2]]);
  });

  test('liveResults loads as many more results as are superseded, so the list is not cut short', async () => {
    const all = [
      hit('/announcements/corrected/', 'old'),
      hit('/announcements/a/', 'a'),
      hit('/announcements/b/', 'b'),
      hit('/announcements/c/', 'c'),
    ];
    let loaded = 0;
    const engine = {
      mergeIndex: async () => {},
      search: async () => ({
        results: all.map((result) => ({
          data: async () => {
            loaded++;
            return result;
          },
        })),
      }),
    };
    expect(await liveResults(engine, manifest, '公告', 2)).toEqual([all[1], all[2]]);
    expect(loaded).toBe(3);
  });
});
