/**
 * Reads the published content straight from `content/` with node:fs and validates it with the
 * same zod schemas as the site, for the evaluation script and unit tests (the running server
 * uses `astro:content` instead, in content.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import {
  announcementSchema,
  campaignReportSchema,
  explanationSchema,
  planSchema,
  recallSchema,
} from '~/lib/content-schemas';
import type { AssistantContent, ContentEntry } from '~/lib/assistant/types';

function readFolder<S extends z.ZodType>(folder: string, schema: S): ContentEntry<z.output<S>>[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(folder, name);
      const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success)
        throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return { id: basename(name, '.json'), data: parsed.data };
    });
}

function readLoose(folder: string): ContentEntry<Record<string, unknown>>[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      id: basename(name, '.json'),
      data: JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>,
    }));
}

export function loadContentFromFiles(contentDir: string): AssistantContent {
  return {
    announcements: readFolder(join(contentDir, 'announcements'), announcementSchema),
    explanations: readFolder(join(contentDir, 'explanations'), explanationSchema),
    recalls: readFolder(join(contentDir, 'recalls'), recallSchema),
    plans: readFolder(join(contentDir, 'plans'), planSchema),
    campaignReports: readFolder(join(contentDir, 'campaign-reports'), campaignReportSchema),
    campaigns: readLoose(join(contentDir, 'campaigns')),
  };
}
