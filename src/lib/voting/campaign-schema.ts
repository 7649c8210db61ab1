/**
 * Schema of a "你点我查" voting campaign (`content/campaigns/<id>.json`).
 * Pure zod, shared by the content collection, the event CLI and the unit tests.
 */
import { z } from 'zod';

/** ISO 8601 with an explicit offset, so that "opens at 9:00" means 9:00 in Shanghai on any server. */
const zonedDateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/,
    '时间须写成带时区的 ISO 格式，如 2027-01-01T09:00:00+08:00',
  )
  .refine((value) => !Number.isNaN(Date.parse(value)), '不是有效的时间');

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, '只能用小写字母、数字和连字符');

export const candidateSchema = z.object({
  id: slug,
  /** Product category, e.g. "电动自行车及配件". */
  name: z.string().min(1).max(40),
  /** Why it is on the list: the kinds of failure seen before. */
  reason: z.string().min(1).max(200),
});

export const writeInLimitsSchema = z.object({
  /** 0 turns write-ins off for the campaign. */
  maxWriteIns: z.number().int().min(0).max(3).default(3),
  productMaxLength: z.number().int().min(1).max(40).default(40),
  issueMaxLength: z.number().int().min(1).max(200).default(200),
  venueMaxLength: z.number().int().min(1).max(100).default(100),
});

export const campaignSchema = z
  .object({
    id: slug,
    title: z.string().min(1),
    description: z.string().min(1),
    opensAt: zonedDateTime,
    closesAt: zonedDateTime,
    candidates: z
      .array(candidateSchema)
      .min(2)
      .refine((list) => new Set(list.map((c) => c.id)).size === list.length, '候选产品的 id 不能重复'),
    /** How many candidates one ballot may pick. */
    maxChoices: z.number().int().min(1),
    /** Whether the running tally is public; after the close it always is. */
    tallyPublic: z.boolean(),
    writeInLimits: writeInLimitsSchema.default({
      maxWriteIns: 3,
      productMaxLength: 40,
      issueMaxLength: 200,
      venueMaxLength: 100,
    }),
    /** Made-up sample content, shown with a visible 示例 badge. */
    example: z.boolean().default(false),
  })
  .refine((c) => Date.parse(c.opensAt) < Date.parse(c.closesAt), {
    message: '截止时间必须晚于开始时间',
    path: ['closesAt'],
  })
  .refine((c) => c.maxChoices <= c.candidates.length, {
    message: 'maxChoices 不能超过候选产品数',
    path: ['maxChoices'],
  });

export type Campaign = z.output<typeof campaignSchema>;
export type Candidate = z.output<typeof candidateSchema>;
export type WriteInLimits = z.output<typeof writeInLimitsSchema>;

export type CampaignStatus = 'upcoming' | 'open' | 'closed';

/** A campaign is open from `opensAt` (inclusive) to `closesAt` (exclusive). */
export function campaignStatus(campaign: Pick<Campaign, 'opensAt' | 'closesAt'>, now: Date): CampaignStatus {
  const time = now.getTime();
  if (time < Date.parse(campaign.opensAt)) return 'upcoming';
  if (time >= Date.parse(campaign.closesAt)) return 'closed';
  return 'open';
}

/** The tally is shown to the public while it runs only when the campaign says so, and always after it closes. */
export function isTallyVisible(campaign: Pick<Campaign, 'tallyPublic' | 'opensAt' | 'closesAt'>, now: Date): boolean {
  return campaign.tallyPublic || campaignStatus(campaign, now) === 'closed';
}
