/** The words the voting pages use for machine values, in one place. */
import type { CampaignStatus } from '../../lib/voting/campaign-schema';

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  open: '征集中',
  upcoming: '未开始',
  closed: '已结束',
};

/** 进校园 / 进社区 / 进市场; an unknown type is shown as given rather than hidden. */
export function eventTypeLabel(type: string): string {
  const labels: Record<string, string> = {
    school: '进校园',
    community: '进社区',
    market: '进市场',
    进校园: '进校园',
    进社区: '进社区',
    进市场: '进市场',
  };
  return labels[type] ?? type;
}
