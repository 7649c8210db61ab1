/**
 * How a recall is named and what its owner is told to do, from the record's own fields:
 * a news headline ("已召回70万件！…") says neither who recalls nor what, so lists lead with both.
 */
import type { Recall } from '~/lib/content-schemas';

/** 「某公司召回某产品」, with the product as the source names it, never cut short. */
export function recallHeading(recall: Pick<Recall, 'company' | 'product'>): string {
  return `${recall.company}召回${recall.product}`;
}

/** Whether the remedy tells the owner how to reach someone: a phone number, a hotline or a channel. */
export function remedyGivesContact(remedy: string | null): boolean {
  if (!remedy) return false;
  return /电话|热线|客服|\d{3,4}-?\d{7,8}|400-?\d{3}-?\d{4}|800-?\d{3}-?\d{4}|联系|公众号|小程序|官网|网站|门店|经销商|销售商|4S店|维修站|服务站/.test(
    remedy,
  );
}

/** What to tell the owner of a recalled product to do, honestly when the remedy names no contact. */
export function ownerAction(remedy: string | null): string {
  return remedyGivesContact(remedy)
    ? '在召回范围内的，请立即停止使用，按上面的召回措施联系企业免费处理。'
    : '在召回范围内的，请立即停止使用。原文未给出企业的联系方式：可拨打 12315 或联系销售者，要求按召回处理。';
}
