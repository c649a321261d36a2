import type { Locale } from './locales.js';

type Messages = Record<Locale, string>;

interface CatalogEntry {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;
  messages: Messages;
}

/**
 * Every error the service can answer with: a stable code, its HTTP status and its message in
 * each locale. `{field}` is replaced by the field's label, `{max}` by the rule's limit.
 * docs/errors.md lists the same codes; test/error-catalog.test.ts keeps the two in step.
 */
export const ERROR_CATALOG = {
  invalid_json: {
    status: 400,
    messages: {
      en: 'The request body is not valid JSON.',
      'zh-hans': '请求内容不是有效的 JSON。',
      'zh-hant': '請求內容不是有效的 JSON。',
    },
  },
  invalid_encoding: {
    status: 400,
    messages: {
      en: 'The request is not valid UTF-8 text.',
      'zh-hans': '请求内容不是有效的 UTF-8 文本。',
      'zh-hant': '請求內容不是有效的 UTF-8 文本。',
    },
  },
  unsupported_media_type: {
    status: 415,
    messages: {
      en: 'Send JSON (application/json) or a form (application/x-www-form-urlencoded).',
      'zh-hans': '请以 JSON（application/json）或表单（application/x-www-form-urlencoded）格式提交。',
      'zh-hant': '請以 JSON（application/json）或表單（application/x-www-form-urlencoded）格式提交。',
    },
  },
  payload_too_large: {
    status: 413,
    messages: {
      en: 'The request is too large.',
      'zh-hans': '提交的内容过大。',
      'zh-hant': '提交的內容過大。',
    },
  },
  wrong_type: {
    status: 400,
    messages: {
      en: '{field}: the value has the wrong type.',
      'zh-hans': '{field}：数值类型不正确。',
      'zh-hant': '{field}：數值類型不正確。',
    },
  },
  unknown_field: {
    status: 400,
    messages: {
      en: '{field}: this field is not part of the form.',
      'zh-hans': '{field}：表单中没有这一项。',
      'zh-hant': '{field}：表單中沒有這一項。',
    },
  },
  required: {
    status: 400,
    messages: {
      en: '{field}: this is required.',
      'zh-hans': '{field}：此项必填。',
      'zh-hant': '{field}：此項必填。',
    },
  },
  too_long: {
    status: 400,
    messages: {
      en: '{field}: at most {max} characters.',
      'zh-hans': '{field}：最多 {max} 个字符。',
      'zh-hant': '{field}：最多 {max} 個字元。',
    },
  },
  too_many: {
    status: 400,
    messages: {
      en: '{field}: at most {max} entries.',
      'zh-hans': '{field}：最多 {max} 项。',
      'zh-hant': '{field}：最多 {max} 項。',
    },
  },
  invalid_characters: {
    status: 400,
    messages: {
      en: '{field}: contains characters that are not allowed (control, invisible or text-direction characters).',
      'zh-hans': '{field}：含有不允许的字符（控制字符、不可见字符或文字方向控制字符）。',
      'zh-hant': '{field}：含有不允許的字元（控制字元、不可見字元或文字方向控制字元）。',
    },
  },
  not_in_list: {
    status: 400,
    messages: {
      en: '{field}: choose one of the listed options.',
      'zh-hans': '{field}：请从列出的选项中选择。',
      'zh-hant': '{field}：請從列出的選項中選擇。',
    },
  },
  duplicate_value: {
    status: 400,
    messages: {
      en: '{field}: the same option is given twice.',
      'zh-hans': '{field}：同一选项重复出现。',
      'zh-hant': '{field}：同一選項重複出現。',
    },
  },
  contact_not_accepted: {
    status: 400,
    messages: {
      en: '{field}: this service does not accept contact details, because no encryption key is configured.',
      'zh-hans': '{field}：本站未配置加密密钥，因此不接收联系方式。',
      'zh-hant': '{field}：本站未配置加密金鑰，因此不接收聯繫方式。',
    },
  },
  spam_suspected: {
    status: 400,
    messages: {
      en: '{field}: this hidden field must stay empty. If you filled it in by mistake, clear it and send again.',
      'zh-hans': '{field}：这个隐藏栏位必须留空。如果误填了，请清空后重新提交。',
      'zh-hant': '{field}：這個隱藏欄位必須留空。如果誤填了，請清空後重新提交。',
    },
  },
  proof_of_work_invalid: {
    status: 400,
    messages: {
      en: '{field}: the anti-spam check failed or expired. Reload the page and send again.',
      'zh-hans': '{field}：防垃圾验证未通过或已过期。请刷新页面后重新提交。',
      'zh-hant': '{field}：防垃圾驗證未通過或已過期。請重新整理頁面後重新提交。',
    },
  },
  proof_of_work_replayed: {
    status: 409,
    messages: {
      en: '{field}: this anti-spam check has already been used. Reload the page and send again.',
      'zh-hans': '{field}：此防垃圾验证已被使用过。请刷新页面后重新提交。',
      'zh-hant': '{field}：此防垃圾驗證已被使用過。請重新整理頁面後重新提交。',
    },
  },
  rate_limited: {
    status: 429,
    messages: {
      en: 'Too many requests. Please wait a while and try again.',
      'zh-hans': '请求过于频繁，请稍后再试。',
      'zh-hant': '請求過於頻繁，請稍後再試。',
    },
  },
  receipt_malformed: {
    status: 400,
    messages: {
      en: '{field}: this is not a receipt. A receipt has 20 letters and digits in groups of four.',
      'zh-hans': '{field}：格式不对。回执由 20 个字母和数字组成，每四个一组。',
      'zh-hant': '{field}：格式不對。回執由 20 個字母和數字組成，每四個一組。',
    },
  },
  receipt_not_found: {
    status: 404,
    messages: {
      en: '{field}: no statement has this receipt. Check it for typing mistakes.',
      'zh-hans': '{field}：没有与此回执对应的声明。请检查是否输入有误。',
      'zh-hant': '{field}：沒有與此回執對應的聲明。請檢查是否輸入有誤。',
    },
  },
  retraction_not_allowed: {
    status: 409,
    messages: {
      en: 'This statement can no longer be retracted: it was rejected or is already retracted.',
      'zh-hans': '此声明已无法撤回：它已被拒绝或已经撤回。',
      'zh-hant': '此聲明已無法撤回：它已被拒絕或已經撤回。',
    },
  },
  sign_in_failed: {
    status: 401,
    messages: {
      en: 'The name, password or code is wrong, or the account is disabled.',
      'zh-hans': '用户名、密码或验证码错误，或账号已停用。',
      'zh-hant': '使用者名稱、密碼或驗證碼錯誤，或帳號已停用。',
    },
  },
  sign_in_required: {
    status: 401,
    messages: {
      en: 'Please sign in (the session may have expired).',
      'zh-hans': '请登录（会话可能已过期）。',
      'zh-hant': '請登入（工作階段可能已過期）。',
    },
  },
  forbidden: {
    status: 403,
    messages: {
      en: 'Your role does not allow this.',
      'zh-hans': '您的角色无权进行此操作。',
      'zh-hant': '您的角色無權進行此操作。',
    },
  },
  csrf_invalid: {
    status: 403,
    messages: {
      en: 'This form has expired or did not come from this site. Reload the page and try again.',
      'zh-hans': '此表单已过期或并非来自本站。请刷新页面后重试。',
      'zh-hant': '此表單已過期或並非來自本站。請重新整理頁面後重試。',
    },
  },
  password_too_weak: {
    status: 400,
    messages: {
      en: '{field}: use at least 12 characters that are not a common password and do not contain the user name.',
      'zh-hans': '{field}：请使用至少 12 个字符，不要用常见密码，也不要包含用户名。',
      'zh-hant': '{field}：請使用至少 12 個字元，不要用常見密碼，也不要包含使用者名稱。',
    },
  },
  consent_required: {
    status: 400,
    messages: {
      en: '{field}: confirm that the person agreed to withdraw and chose the name to publish.',
      'zh-hans': '{field}：请确认此人同意退出并自己选择了公布的名字。',
      'zh-hant': '{field}：請確認此人同意退出並自己選擇了公佈的名字。',
    },
  },
  not_pending: {
    status: 409,
    messages: {
      en: 'This submission has already been reviewed or retracted.',
      'zh-hans': '此提交已经审核过或已撤回。',
      'zh-hant': '此提交已經審核過或已撤回。',
    },
  },
  already_exists: {
    status: 409,
    messages: {
      en: '{field}: this name is already taken.',
      'zh-hans': '{field}：此名称已被使用。',
      'zh-hant': '{field}：此名稱已被使用。',
    },
  },
  invalid_parameter: {
    status: 400,
    messages: {
      en: '{field}: this value is not valid here.',
      'zh-hans': '{field}：此值在这里无效。',
      'zh-hant': '{field}：此值在這裡無效。',
    },
  },
  not_found: {
    status: 404,
    messages: {
      en: 'There is nothing at this address.',
      'zh-hans': '此地址没有内容。',
      'zh-hant': '此地址沒有內容。',
    },
  },
  unavailable: {
    status: 503,
    messages: {
      en: 'The service is busy or briefly unavailable. Nothing was saved; please try again in a minute.',
      'zh-hans': '服务繁忙或暂时不可用，内容未保存。请一分钟后再试。',
      'zh-hant': '服務繁忙或暫時不可用，內容未儲存。請一分鐘後再試。',
    },
  },
  internal: {
    status: 500,
    messages: {
      en: 'Something went wrong on our side. Nothing was saved; please try again.',
      'zh-hans': '服务器出错，内容未保存。请重试。',
      'zh-hant': '伺服器出錯，內容未儲存。請重試。',
    },
  },
  looks_blank: {
    status: 400,
    messages: {
      en: '{field}: shows nothing — it holds only spaces or invisible characters. Write something or leave it empty.',
      'zh-hans': '{field}：看起来是空白的——只含空格或不可见字符。请填写内容，或留空。',
      'zh-hant': '{field}：看起來是空白的——只含空格或不可見字元。請填寫內容，或留空。',
    },
  },
  cross_site_refused: {
    status: 403,
    messages: {
      en: 'This form was sent from another website, so nothing was saved. If you meant to send it, open the form on this site and send it from there.',
      'zh-hans': '此表单是从其他网站发送的，因此未保存任何内容。如果您确实要提交，请在本站打开表单后再提交。',
      'zh-hant': '此表單是從其他網站送出的，因此未儲存任何內容。如果您確實要送出，請在本站開啟表單後再送出。',
    },
  },
  nothing_to_edit: {
    status: 400,
    messages: {
      en: 'The edit changes nothing: send the title, the text or both.',
      'zh-hans': '此次编辑没有任何改动：请提交标题、正文或两者。',
      'zh-hant': '此次編輯沒有任何改動：請提交標題、正文或兩者。',
    },
  },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
