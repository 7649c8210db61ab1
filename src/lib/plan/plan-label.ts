/**
 * How a plan is named to citizens: always with its year and area (「2024 年青浦区抽查计划」),
 * so a past year's district plan is never taken for 「今年」's plan of the whole city.
 */
import type { Plan } from '~/lib/content-schemas';

export function planLabel(plan: Pick<Plan, 'year' | 'region'>): string {
  return `${plan.year} 年${plan.region}抽查计划`;
}
