/**
 * Every published content file parses with its schema, and every link between files lands.
 * Reads the real `content/` folder (the same files the build reads).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  announcementSchema,
  campaignReportSchema,
  explanationSchema,
  planSchema,
  recallSchema,
} from '../../src/lib/content-schemas';

const contentDir = resolve(import.meta.dirname, '..', '..', 'content');
const collections: Record<string, z.ZodType> = {
  announcements: announcementSchema,
  explanations: explanationSchema,
  recalls: recallSchema,
  plans: planSchema,
  'campaign-reports': campaignReportSchema,
};

function entries(folder: string): Array<{ slug: string; data: unknown }> {
  const dir = join(contentDir, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({
      slug: basename(name, '.json'),
      data: JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown,
    }));
}

describe('content/', () => {
  it('holds no JSON that no collection reads', () => {
    const config = readFileSync(resolve(contentDir, '..', 'src', 'content.config.ts'), 'utf8');
    const readByBuild = new Set([...config.matchAll(/jsonFiles\('([^']+)'\)/g)].map((m) => m[1]));
    for (const folder of Object.keys(collections)) expect(readByBuild).toContain(folder);
    const unread = readdirSync(contentDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && readdirSync(join(contentDir, d.name)).some((name) => name.endsWith('.json')))
      .map((d) => d.name)
      .filter((folder) => !readByBuild.has(folder));
    expect(unread).toEqual([]);
  });

  for (const [folder, schema] of Object.entries(collections)) {
    it(`every file in ${folder}/ parses with its schema`, () => {
      const files = entries(folder);
      expect(files.length).toBeGreaterThan(0);
      const failures = files.flatMap(({ slug, data }) => {
        const result = schema.safeParse(data);
        return result.success
          ? []
          : result.error.issues.map((i) => `${folder}/${slug}.json ${i.path.join('.')}: ${i.message}`);
      });
      expect(failures).toEqual([]);
    });
  }

  it('every failed-item explanation link points to an existing explanation file', () => {
    const broken = entries('announcements').flatMap(({ slug, data }) =>
      announcementSchema
        .parse(data)
        .failedProducts.flatMap((product) => product.failedItems)
        .filter((item) => item.explanation && !existsSync(join(contentDir, 'explanations', `${item.explanation}.json`)))
        .map((item) => `${slug}: ${item.text} → ${item.explanation}`),
    );
    expect(broken).toEqual([]);
  });

  it('every announcement links to its source with an http(s) URL', () => {
    const missing = entries('announcements')
      .filter(({ data }) => !/^https?:\/\/\S+$/.test(announcementSchema.parse(data).source.url))
      .map(({ slug }) => slug);
    expect(missing).toEqual([]);
  });

  it('every plan-item reference names an item of an existing plan', () => {
    const planItems = new Set(
      entries('plans').flatMap(({ data }) => {
        const plan = planSchema.parse(data);
        return plan.items.map((item) => `${plan.year}/${item.id}`);
      }),
    );
    const dangling = entries('announcements')
      .map(({ slug, data }) => ({ slug, planItem: announcementSchema.parse(data).planItem }))
      .filter(({ planItem }) => planItem !== undefined && !planItems.has(planItem));
    expect(dangling).toEqual([]);
  });
});
