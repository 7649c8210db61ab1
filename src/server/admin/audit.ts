/** Writes the audit log. An action that happened must not be undone because its entry failed. */
import type { AuditOutcome } from '~/lib/admin/types';
import { getStore } from '~/server/store/instance';
import type { Store } from '~/server/store/store';

export interface AuditInput {
  actor: string | null;
  action: string;
  target?: string | null;
  outcome?: AuditOutcome;
  detail?: string | null;
}

/** `store`: the one the caller opened (the command line has no server store); default the server's. */
export async function audit(input: AuditInput, store?: Store): Promise<void> {
  try {
    await (store ?? (await getStore())).audit.append({
      actor: input.actor,
      action: input.action,
      // Targets and details may carry text a visitor chose: the store caps them (capAuditEntry).
      target: input.target ?? null,
      outcome: input.outcome ?? 'ok',
      detail: input.detail ?? null,
    });
  } catch (error) {
    console.error(`[audit] 审计日志写入失败（${input.action} ${input.target ?? ''}）：${(error as Error).message}`);
  }
}

/** Chinese names of audit actions, for the audit page. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  login: '登录',
  'login.locked': '登录（已锁定）',
  'login.slowed': '登录（账号限速中）',
  'login.busy': '登录（系统繁忙）',
  logout: '退出登录',
  'session.expired': '会话过期',
  'access.denied': '越权访问',
  'csrf.rejected': 'CSRF 校验失败',
  'user.create': '新建账号',
  'user.password': '重置密码',
  'user.own-password': '修改本人密码',
  'user.disable': '停用账号',
  'user.enable': '启用账号',
  'user.first-admin': '创建首个管理员',
  'write-in.approve': '通过自填建议',
  'write-in.reject': '驳回自填建议',
  'write-in.merge': '合并自填建议',
  'plan.create': '纳入计划',
  'plan.update': '修改计划条目',
  'plan.delete': '删除计划条目',
  'plan.export': '导出计划',
  'nomination.decline': '填写未纳入理由',
  'outcome.publish': '公布点题结果',
  'outcome.unpublish': '撤回点题结果',
  'kiosk.revoke': '停用现场投票设备',
  'publication.create': '新建待发布内容',
  'publication.edit': '修改草稿',
  'publication.submit': '提交审核',
  'publication.approve': '审核通过并签发',
  'publication.schedule': '审核通过并定时发布',
  'publication.publish': '发布（定时）',
  'publication.return': '退回修改',
  'publication.correct': '开始更正',
  'publication.discard': '放弃更正',
  'publication.withdraw': '撤回已发布内容',
  'publication.attach': '上传附件',
  'token.create': '签发接口令牌',
  'token.revoke': '吊销接口令牌',
  'api.announcement.create': '接口提交公告',
  'api.announcement.status': '接口查询公告状态',
  'api.denied': '接口拒绝访问',
};
