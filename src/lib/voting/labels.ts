/** The words the voting pages use for machine values, in one place. */
import type { CampaignStatus } from './campaign-schema';
import { EVENT_TYPE_LABELS, EVENT_TYPES, type EventType } from './tally';

export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  open: '征集中',
  upcoming: '未开始',
  closed: '已结束',
};

const isEventType = (type: string): type is EventType => (EVENT_TYPES as readonly string[]).includes(type);

/** 进校园 / 进社区 / 进市场; an unknown type is shown as given rather than hidden. */
export function eventTypeLabel(type: string): string {
  return isEventType(type) ? EVENT_TYPE_LABELS[type] : type;
}

/** Made-up campaigns get a visible 示例 badge, unless the title already says so. */
export function needsExampleBadge(campaign: { example: boolean; title: string }): boolean {
  return campaign.example && !campaign.title.includes('示例');
}
