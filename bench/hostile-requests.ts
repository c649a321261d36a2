// What the hostile benchmark sends: the worst requests a client without an account can make
// (pages with cache-busting parameters, open-data ranges nobody asked for before, one-letter
// searches) and the queue view an editor makes over a flood of long identical statements.
// And what the normal client sends: submissions and page reads, as a declarant and a reader do.
import { prng } from './bodies.js';

export interface BenchRequest {
  /** The kind, for the per-kind table ("cache-bust", "open-data", …). */
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

const LOCALES = ['zh-hans', 'zh-hant', 'en'] as const;
/** Pages whose routes read no query parameter, or fewer than a client can send. */
const CACHED_PAGES = ['/', '/stats', '/categories', '/methodology', '/statements', '/articles'];
const SEARCH_LETTERS = [...'的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切调热杀且害示'];
const ENGLISH_LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];

/** A long synthetic statement (written for this benchmark) of just under the 20,000-character limit. */
export function longDuplicateText(): string {
  const sentence = '我自愿声明退出曾经加入的组织，从此与它再无任何关系，这是我经过长久思考之后的决定。';
  return sentence.repeat(Math.ceil(19_990 / sentence.length)).slice(0, 19_990);
}

/** The body of one of the flood's submissions: the same long text, a synthetic pseudonym. */
export function floodBody(i: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      language: 'zh-hans',
      title: '声明',
      text: longDuplicateText(),
      declarants: [{ displayName: `化名${i}`, nameKind: 'pseudonym', organizations: ['party'], region: '110000' }],
    }),
  );
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The hostile mix, one request after another: cache-busting pages, new open-data ranges, queue
 * views (with an editor's token) and one-letter searches, in turn, each with fresh values.
 */
export function hostileRequests(seed: number, staffToken: string): () => BenchRequest {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  let serial = 0;
  const kinds: (() => BenchRequest)[] = [
    () => {
      const bust = pick(['q', 'page', 'date', 'x', 'utm_source']);
      return { kind: 'cache-bust', method: 'GET', path: `/${pick(LOCALES)}${pick(CACHED_PAGES)}?${bust}=${++serial}` };
    },
    () => ({ kind: 'cache-bust', method: 'GET', path: `/api/v1/stats?${pick(['x', 'date', 'q'])}=${++serial}` }),
    () => {
      const to = Date.now() - Math.floor(random() * 5 * 365) * DAY_MS;
      const from = to - Math.floor(random() * 366) * DAY_MS;
      return { kind: 'open-data', method: 'GET', path: `/api/v1/open-data/daily.${random() < 0.5 ? 'csv' : 'json'}?from=${isoDay(from)}&to=${isoDay(to)}` };
    },
    () => ({ kind: 'queue-view', method: 'GET', path: `/api/v1/staff/queue?page=${1 + Math.floor(random() * 2)}`, headers: { authorization: `Bearer ${staffToken}` } }),
    () => {
      const chinese = random() < 0.7;
      const q = encodeURIComponent(chinese ? pick(SEARCH_LETTERS) : pick(ENGLISH_LETTERS));
      return { kind: 'search', method: 'GET', path: `/${chinese ? pick(['zh-hans', 'zh-hant']) : 'en'}/search?q=${q}&page=${1 + Math.floor(random() * 3)}` };
    },
  ];
  let turn = 0;
  return () => kinds[turn++ % kinds.length]!();
}

/**
 * The control: hostile connections that only ask for the home page, a cache hit every time. What
 * the normal client loses beside them is what any 4 busy connections cost on this machine, not
 * what the worst requests cost.
 */
export function cacheHitRequests(): () => BenchRequest {
  return () => ({ kind: 'cache-hit', method: 'GET', path: '/zh-hans/' });
}

/** What a reader asks for: the home page, the latest statements, a statement page. */
export function readerRequests(seed: number, maxNumber: number): () => BenchRequest {
  const random = prng(seed);
  let turn = 0;
  return () => {
    const locale = LOCALES[turn % 3]!;
    const choice = turn++ % 4;
    if (choice === 0) return { kind: 'read', method: 'GET', path: `/${locale}/` };
    if (choice === 1) return { kind: 'read', method: 'GET', path: `/${locale}/statements` };
    return { kind: 'read', method: 'GET', path: `/${locale}/s/${1 + Math.floor(random() * maxNumber)}` };
  };
}
