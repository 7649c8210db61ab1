/**
 * Content collections, read from the top-level `content/` folder.
 * Each collection validates against the shared schemas in `lib/content-schemas.ts`;
 * a bad file fails the build with its file name and the failing field.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import {
  announcementSchema,
  campaignReportSchema,
  explanationSchema,
  planSchema,
  recallSchema,
} from './lib/content-schemas';
import { campaignSchema } from './lib/voting/campaign-schema';

const contentRoot = process.env.CONTENT_DIR ?? './content';
const jsonFiles = (folder: string) => glob({ pattern: '**/*.json', base: `${contentRoot}/${folder}` });

export const collections = {
  announcements: defineCollection({ loader: jsonFiles('announcements'), schema: announcementSchema }),
  explanations: defineCollection({ loader: jsonFiles('explanations'), schema: explanationSchema }),
  recalls: defineCollection({ loader: jsonFiles('recalls'), schema: recallSchema }),
  plans: defineCollection({ loader: jsonFiles('plans'), schema: planSchema }),
  campaignReports: defineCollection({ loader: jsonFiles('campaign-reports'), schema: campaignReportSchema }),
  campaigns: defineCollection({ loader: jsonFiles('campaigns'), schema: campaignSchema }),
};
