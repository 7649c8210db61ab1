/** Plan items as every store makes and revises them: the id recipe and who-changed-what stamps. */
import type { PlanItem, PlanItemInput } from '~/lib/admin/types';

/** Plan item ids appear in URLs and exports: lower-case letters, digits and dashes only. */
export function planItemId(randomPart: string): string {
  return `p_${randomPart}`.toLowerCase().replace(/[^a-z0-9]/g, '-');
}

function inputFields(input: PlanItemInput): PlanItemInput {
  return {
    year: input.year,
    category: input.category,
    method: input.method,
    quarters: [...input.quarters],
    plannedBatches: input.plannedBatches,
    stages: [...input.stages],
    reason: input.reason,
    campaignId: input.campaignId,
    nomination: input.nomination,
  };
}

export function newPlanItem(input: PlanItemInput, id: string, actor: string, now: Date): PlanItem {
  const at = now.toISOString();
  return { ...inputFields(input), id, createdBy: actor, createdAt: at, updatedBy: actor, updatedAt: at, version: 1 };
}

export function revisedPlanItem(item: PlanItem, input: PlanItemInput, actor: string, now: Date): PlanItem {
  return { ...item, ...inputFields(input), updatedBy: actor, updatedAt: now.toISOString(), version: item.version + 1 };
}
