/** Labels of known audit actions; an unknown action shows its raw code. */
import type { Lang } from '@dudao/contracts';

export const auditActionLabels: Record<string, { zh: string; en: string }> = {
  'auth.login': { zh: '登录', en: 'Sign-in' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed sign-in' },
  'auth.logout': { zh: '退出', en: 'Sign-out' },
  'auth.locked': { zh: '账号锁定', en: 'Account locked' },
  'auth.password_change': { zh: '修改密码', en: 'Password changed' },
  'auth.password_changed': { zh: '修改密码', en: 'Password changed' },
  'auth.totp_enable': { zh: '启用动态口令', en: 'TOTP enabled' },
  'auth.totp_enabled': { zh: '启用动态口令', en: 'TOTP enabled' },
  'unit.create': { zh: '新建机构', en: 'Unit created' },
  'unit.update': { zh: '修改机构', en: 'Unit changed' },
  'unit.disable': { zh: '停用机构', en: 'Unit disabled' },
  'unit.enable': { zh: '启用机构', en: 'Unit enabled' },
  'user.create': { zh: '新建用户', en: 'User created' },
  'user.update': { zh: '修改用户', en: 'User changed' },
  'user.disable': { zh: '停用用户', en: 'User disabled' },
  'user.enable': { zh: '启用用户', en: 'User enabled' },
  'user.reset_password': { zh: '重置密码', en: 'Password reset' },
  'user.unlock': { zh: '解锁用户', en: 'User unlocked' },
  'person.reveal': { zh: '查看身份证号', en: 'ID number viewed' },
  'token.create': { zh: '新建 API 令牌', en: 'API token created' },
  'token.revoke': { zh: '吊销 API 令牌', en: 'API token revoked' },
  'token.use': { zh: '使用 API 令牌', en: 'API token used' },
  export: { zh: '导出', en: 'Export' },
};

export function auditActionLabel(action: string, lang: Lang): string | null {
  return auditActionLabels[action]?.[lang] ?? null;
}

/** Object types as shown in the table. */
export const objectTypeLabels: Record<string, { zh: string; en: string }> = {
  unit: { zh: '机构', en: 'Unit' },
  user: { zh: '用户', en: 'User' },
  person: { zh: '人员', en: 'Person' },
  api_token: { zh: 'API 令牌', en: 'API token' },
  session: { zh: '会话', en: 'Session' },
};
