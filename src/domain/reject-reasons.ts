import type { Locale } from './locales.js';

/** Why an editor did not publish a statement: a fixed list, so the counts can say why. */
export const REJECT_REASONS = ['spam', 'not_a_withdrawal', 'identifying_details', 'abusive', 'test', 'unclear_consent', 'other'] as const;

export type RejectReason = (typeof REJECT_REASONS)[number];

export const REJECT_REASON_NAMES: Record<RejectReason, Record<Locale, string>> = {
  spam: { en: 'Spam', 'zh-hans': '垃圾信息', 'zh-hant': '垃圾訊息' },
  not_a_withdrawal: { en: 'Not a withdrawal', 'zh-hans': '不是退出声明', 'zh-hant': '不是退出聲明' },
  identifying_details: { en: 'Would identify the person', 'zh-hans': '会暴露身份', 'zh-hant': '會暴露身分' },
  abusive: { en: 'Abusive', 'zh-hans': '侮辱性内容', 'zh-hant': '侮辱性內容' },
  test: { en: 'Test entry', 'zh-hans': '测试', 'zh-hant': '測試' },
  unclear_consent: { en: 'Consent unclear', 'zh-hans': '同意不明确', 'zh-hant': '同意不明確' },
  other: { en: 'Other', 'zh-hans': '其他', 'zh-hant': '其他' },
};

export function isRejectReason(value: unknown): value is RejectReason {
  return typeof value === 'string' && (REJECT_REASONS as readonly string[]).includes(value);
}
