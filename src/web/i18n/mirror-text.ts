import type { Locale } from '../../domain/locales.js';

/** What a static mirror says that the service does not (rcenter export-site, docs/mirror.md). */
export interface MirrorText {
  /** Shown on every page: {size} entries of the log, exported on {date}. */
  note: string;
  offlineTitle: string;
  /** Why a mirror cannot take a statement or show a receipt's status. */
  offlineWhy: string;
  /** How to reach the center itself; {address} is its address when known. */
  offlineReach: string;
  offlineReachUnknown: string;
  offlineSafety: string;
  searchTitle: string;
  searchWhy: string;
  searchByDay: string;
  searchByCategory: string;
  chooseLanguage: string;
}

export const MIRROR_TEXT: Record<Locale, MirrorText> = {
  'zh-hans': {
    note: '这是退党中心的静态镜像，内容截至透明日志第 {size} 条记录（导出于 {date} UTC）。可用 rcenter verify 核对。',
    offlineTitle: '镜像无法接收声明',
    offlineWhy: '这是一个只读的静态镜像：在这里不能提交声明，也不能查询回执。',
    offlineReach: '请直接访问退党中心：{address}',
    offlineReachUnknown: '请通过您信任的渠道找到退党中心本站的地址。',
    offlineSafety: '为了您的安全，请使用翻墙工具或洋葱网络访问，不要在别人的设备上保存回执。',
    searchTitle: '在镜像中查找声明',
    searchWhy: '在浏览器中启用 JavaScript 即可在本页搜索声明（索引随镜像一起导出）。不用 JavaScript 也可以按日期或分类浏览全部已发表的声明。',
    searchByDay: '按日期浏览',
    searchByCategory: '按分类浏览',
    chooseLanguage: '选择语言',
  },
  'zh-hant': {
    note: '這是退黨中心的靜態鏡像，內容截至透明日誌第 {size} 條記錄（匯出於 {date} UTC）。可用 rcenter verify 核對。',
    offlineTitle: '鏡像無法接收聲明',
    offlineWhy: '這是一個唯讀的靜態鏡像：在這裡不能提交聲明，也不能查詢回執。',
    offlineReach: '請直接造訪退黨中心：{address}',
    offlineReachUnknown: '請透過您信任的管道找到退黨中心本站的地址。',
    offlineSafety: '為了您的安全，請使用翻牆工具或洋蔥網路造訪，不要在別人的裝置上保存回執。',
    searchTitle: '在鏡像中查找聲明',
    searchWhy: '在瀏覽器中啟用 JavaScript 即可在本頁搜尋聲明（索引隨鏡像一起匯出）。不用 JavaScript 也可以按日期或分類瀏覽全部已發表的聲明。',
    searchByDay: '按日期瀏覽',
    searchByCategory: '按分類瀏覽',
    chooseLanguage: '選擇語言',
  },
  en: {
    note: 'A static mirror of the Renunciation Center, as of entry {size} of its transparency log (exported {date} UTC). Check it with rcenter verify.',
    offlineTitle: 'A mirror cannot take statements',
    offlineWhy: 'This is a read-only static mirror: statements cannot be submitted here, and receipts cannot be looked up.',
    offlineReach: 'Reach the center itself at {address}',
    offlineReachUnknown: 'Find the address of the center itself through a channel you trust.',
    offlineSafety: 'For your safety, use a circumvention tool or Tor, and do not keep a receipt on a device that is not yours.',
    searchTitle: 'Finding statements on a mirror',
    searchWhy: 'With JavaScript on, statements can be searched on this page (the index is part of the mirror). Without it, every published statement can be browsed by day or by category.',
    searchByDay: 'Browse by day',
    searchByCategory: 'Browse by category',
    chooseLanguage: 'Choose a language',
  },
};
