/**
 * What `npm run content:export` writes: every published item's latest revision as a file of the
 * `content/` format (`<kind>/<slug>.json`, checked by the same schema the build uses), and the
 * attachments of those items. Withdrawn items, and items whose content or slug the build would
 * refuse, are skipped with the reason, so the folder always builds.
 */
import { announcementSchema, explanationSchema, recallSchema } from '~/lib/content-schemas';
import { publicState, PUBLICATION_KIND_LABELS, type AttachmentRef, type Publication } from './model';

const SCHEMAS = { announcements: announcementSchema, explanations: explanationSchema, recalls: recallSchema };

/** The slugs the site makes (lib/text/slug): anything else could name a path outside `<kind>/`. */
const FILE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface ExportedFile {
  /** Relative to the export folder, e.g. `announcements/2026-dian-xian.json`. */
  path: string;
  /** Exactly as the files in `content/` are written: two-space JSON and a final newline. */
  text: string;
  attachments: AttachmentRef[];
}

export interface ExportPlan {
  files: ExportedFile[];
  skipped: { item: string; reason: string }[];
}

export function planContentExport(publications: readonly Publication[]): ExportPlan {
  const plan: ExportPlan = { files: [], skipped: [] };
  for (const publication of publications) {
    const item = `${publication.kind}/${publication.slug}`;
    const state = publicState(publication);
    if (state !== 'published') {
      plan.skipped.push({
        item,
        reason: state === 'withdrawn' ? `已撤回（${publication.withdrawal?.reason ?? ''}），不导出` : '尚未发布',
      });
      continue;
    }
    if (!FILE_SLUG.test(publication.slug)) {
      plan.skipped.push({ item, reason: '地址名（slug）只能包含小写字母、数字和连字符，不能作文件名' });
      continue;
    }
    const latest = publication.revisions[publication.revisions.length - 1];
    const parsed = SCHEMAS[publication.kind].safeParse(latest?.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      plan.skipped.push({
        item,
        reason: `内容不符合${PUBLICATION_KIND_LABELS[publication.kind]}的格式（${issue ? `${issue.path.join('.') || '根'}：${issue.message}` : '未知'}）`,
      });
      continue;
    }
    plan.files.push({
      path: `${item}.json`,
      text: `${JSON.stringify(parsed.data, null, 2)}\n`,
      attachments: publication.attachments,
    });
  }
  return plan;
}
