import { pinyin } from 'pinyin-pro';

/**
 * A readable ASCII slug for Chinese text, so shared links stay short in WeChat and e-mail
 * instead of turning into long runs of percent-escapes.
 * @example slugify('电动擦窗机 pH值') // => 'dian-dong-ca-chuang-ji-ph-zhi'
 */
export function slugify(text: string, maxLength = 48): string {
  const syllables = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive' });
  const slug = syllables
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  return cut.slice(0, Math.max(cut.lastIndexOf('-'), 1)).replace(/-+$/, '');
}

/** Returns `base`, or `base-2`, `base-3`… whichever is not yet in `taken`, and records it. */
export function uniqueSlug(base: string, taken: Set<string>): string {
  let candidate = base || 'item';
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}
