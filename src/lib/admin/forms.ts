/**
 * Server-side validation of the staff forms (zod, Chinese messages). A failed form comes back with
 * an error summary whose links point at the fields (`id` = field name) and with every value kept.
 */
import { z } from 'zod';
import { PLAN_METHODS, STAGES } from '~/lib/content-schemas';
import { parsePlanYear } from './plan-rules';
import { PASSWORD_MAX_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from './password-policy';
import { SET_ASIDE_REASON_MAX } from '~/lib/voting/set-aside';
import { FLAG_KINDS } from './suspicious';
import { STAFF_ROLES } from './types';

export interface FieldError {
  field: string;
  message: string;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/** Form fields as zod sees them: repeated names become arrays, single ones strings. */
export function formToObject(
  form: FormData | URLSearchParams,
  repeated: readonly string[] = [],
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key).filter((value): value is string => typeof value === 'string');
    object[key] = repeated.includes(key) ? values : (values[0] ?? '');
  }
  for (const key of repeated) object[key] ??= [];
  return object;
}

/** Zod's own Chinese wording for any check that has no message of ours (e.g. a field not sent at all). */
const chineseFallback = z.locales.zhCN().localeError;

export function validate<T>(schema: z.ZodType<T>, input: unknown): FormResult<T> {
  const result = schema.safeParse(input, { error: chineseFallback });
  if (result.success) return { ok: true, data: result.data };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  return { ok: false, errors };
}

export function errorFor(errors: readonly FieldError[], field: string): string | null {
  return errors.find((error) => error.field === field)?.message ?? null;
}

const version = z.coerce.number({ error: '页面数据不完整，请刷新后重试。' }).int().min(0);

export const loginSchema = z.object({
  username: z.string({ error: '请输入用户名。' }).trim().min(1, '请输入用户名。').max(64, '用户名过长。'),
  password: z.string({ error: '请输入密码。' }).min(1, '请输入密码。').max(PASSWORD_MAX_LENGTH, '密码过长。'),
});

/** A staff member's own password change: the current password, the new one twice. */
export const ownPasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: '请输入当前密码。' })
      .min(1, '请输入当前密码。')
      .max(PASSWORD_MAX_LENGTH, '密码过长。'),
    newPassword: z
      .string({ error: '请输入新密码。' })
      .min(1, '请输入新密码。')
      .max(PASSWORD_MAX_LENGTH, `新密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符。`),
    confirmPassword: z
      .string({ error: '请再输入一次新密码。' })
      .min(1, '请再输入一次新密码。')
      .max(PASSWORD_MAX_LENGTH, '密码过长。'),
  })
  .refine((input) => input.newPassword === input.confirmPassword, {
    path: ['confirmPassword'],
    message: '两次输入的新密码不一致。',
  });

export const newUserSchema = z.object({
  username: z.string({ error: USERNAME_RULE }).trim().regex(USERNAME_PATTERN, USERNAME_RULE),
  role: z.enum(STAFF_ROLES, { error: '请选择角色。' }),
});

export const userActionSchema = z.object({
  userId: z.string().min(1).max(64),
  version,
  action: z.enum(['reset-password', 'disable', 'enable'], { error: '未知的操作。' }),
});

/** Write-ins are sent as `key@version`, so a decision applies only to what the reviewer saw. */
export const writeInSelection = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}#\d{1,2}@\d{1,9}$/, '自填建议的编号无效。'))
  .min(1, '请至少选择一条自填建议。')
  .max(5000)
  .transform((values) =>
    values.map((value) => {
      const at = value.lastIndexOf('@');
      return { key: value.slice(0, at), expectedVersion: Number(value.slice(at + 1)) };
    }),
  );

export const moderationSchema = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('approve'), entries: writeInSelection }),
    z.object({
      decision: z.literal('reject'),
      entries: writeInSelection,
      reason: z
        .string({ error: '驳回时请填写理由。' })
        .trim()
        .min(1, '驳回时请填写理由。')
        .max(200, '驳回理由不超过 200 字。'),
    }),
    z.object({
      decision: z.literal('merge'),
      entries: writeInSelection,
      target: z
        .string({ error: '请选择要合并到的产品。' })
        .regex(/^(c:[a-z0-9-]{1,80}|w:.{1,80})$/, '请选择要合并到的产品。'),
    }),
  ],
  { error: '请选择要执行的操作（通过、驳回或合并）。' },
);

const quarter = z.coerce.number().int().min(1).max(4);

export const planItemSchema = z.object({
  category: z.string({ error: '请填写产品类别。' }).trim().min(1, '请填写产品类别。').max(60, '产品类别不超过 60 字。'),
  method: z.enum(PLAN_METHODS, { error: '请选择抽查方式。' }),
  quarters: z.array(quarter, { error: '请至少选择一个季度。' }).min(1, '请至少选择一个季度。').max(4),
  plannedBatches: z
    .string()
    .trim()
    .regex(/^\d{0,5}$/, '计划批次须为整数。')
    .transform((value) => (value === '' ? null : Number(value)))
    .refine((value) => value === null || value > 0, '计划批次须大于 0，不确定时请留空。'),
  stages: z.array(z.enum(STAGES, { error: '抽样环节无效。' })).max(3),
  reason: z
    .string({ error: '请填写纳入理由（例如得票数和排名）。' })
    .trim()
    .min(1, '请填写纳入理由（例如得票数和排名）。')
    .max(300, '纳入理由不超过 300 字。'),
  campaignId: z.string().regex(/^[a-z0-9-]{1,80}$/, '征集活动无效。'),
  nomination: z.string().regex(/^(c:[a-z0-9-]{1,80}|w:.{1,80})$/, '点题项目无效。'),
});

export const planItemUpdateSchema = planItemSchema.extend({ version });
export const planItemDeleteSchema = z.object({ version });

export const declineSchema = z.object({
  campaignId: z.string().regex(/^[a-z0-9-]{1,80}$/, '征集活动无效。'),
  nomination: z.string().regex(/^(c:[a-z0-9-]{1,80}|w:.{1,80})$/, '点题项目无效。'),
  version,
  declinedReason: z.string().trim().max(300, '未纳入理由不超过 300 字。').default(''),
});

/** 剔除: the flag (as the page rendered it) and why its ballots leave the official count. */
export const setAsideSchema = z.object({
  kind: z.enum(FLAG_KINDS, { error: '异常类型无效，请刷新页面后重试。' }),
  key: z.string().min(1).max(2_000),
  firstAt: z.string().min(1).max(40),
  reason: z
    .string()
    .trim()
    .min(1, '请写明剔除理由（会记入操作记录，并向公众说明剔除了多少张）。')
    .max(SET_ASIDE_REASON_MAX, `剔除理由不超过 ${SET_ASIDE_REASON_MAX} 字。`),
});

export const restoreSetAsideSchema = z.object({ setAsideId: z.string().min(1).max(100), version });

/** A plan year in a URL: canonical four digits only (see parsePlanYear); anything else is a 404. */
export const yearSchema = z.string().transform((segment, context) => {
  const year = parsePlanYear(segment);
  if (year === null) {
    context.addIssue({ code: 'custom', message: '年份无效。' });
    return z.NEVER;
  }
  return year;
});
