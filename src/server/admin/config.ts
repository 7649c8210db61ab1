/**
 * Environment variables of the staff side (merged into `src/server/config.ts`).
 */
import { z } from 'zod';
import { REVIEW_POLICIES } from '~/lib/publishing/workflow';

export const adminConfigShape = {
  /** Username of the first admin account, created on the first start when no account exists. */
  ADMIN_USER: z
    .string()
    .regex(/^[a-z][a-z0-9._-]{1,31}$/, 'ADMIN_USER 须为小写字母开头的 2–32 位字母、数字、点、下划线或连字符')
    .default('admin'),
  /** Password of that first admin; when unset a random one is generated and printed once. */
  ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD 至少 12 个字符').optional(),
  /** A staff session ends after this many minutes without a request. */
  ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** … and at the latest this many hours after login. */
  ADMIN_SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(12),
  /** Failed logins (per account and per address) before a temporary lock. */
  ADMIN_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** Length of the first lock in minutes; each further lock doubles, up to 4 hours. */
  ADMIN_LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  /**
   * Review before publication: `two-person` (one prepares, another approves; nobody approves their
   * own draft) or `single` (a small office's reviewer may publish their own draft).
   */
  PUBLISH_REVIEW: z
    .enum(REVIEW_POLICIES, { error: 'PUBLISH_REVIEW 只能是 two-person 或 single' })
    .default('two-person'),
};
