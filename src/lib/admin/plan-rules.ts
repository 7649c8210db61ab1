/** Rules of the plan: the order items are listed and numbered in, and the default adoption reason. */
import type { PlanItem } from './types';

/** Plan years the portal serves; anything outside is no plan year. */
export const PLAN_YEAR_RANGE = { min: 2000, max: 2100 } as const;

/**
 * The plan year a URL segment names, or null. Only the canonical spelling counts: `Number()` would
 * also read `0x7eb`, `+2027`, `2027.0` or ` 2027` as 2027, giving one page many addresses.
 */
export function parsePlanYear(segment: string | undefined): number | null {
  if (segment === undefined || !/^\d{4}$/.test(segment)) return null;
  const year = Number(segment);
  return year >= PLAN_YEAR_RANGE.min && year <= PLAN_YEAR_RANGE.max ? year : null;
}

/** By first quarter, then category (Chinese collation), then creation: stable numbering for exports. */
export function orderPlanItems<T extends Pick<PlanItem, 'quarters' | 'category' | 'createdAt'>>(
  items: readonly T[],
): T[] {
  return [...items].sort(
    (a, b) =>
      Math.min(...a.quarters) - Math.min(...b.quarters) ||
      a.category.localeCompare(b.category, 'zh-CN') ||
      a.createdAt.localeCompare(b.createdAt),
  );
}

/** "得票 128 票，在 14 项点题中排第 2 名" — staff may edit it before saving. */
export function defaultAdoptionReason(votes: number, rank: number, of: number): string {
  return `群众点题得票 ${votes} 票，在 ${of} 项点题中排第 ${rank} 名。`;
}
