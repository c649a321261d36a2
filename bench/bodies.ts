// Synthetic submission bodies for the ingest benchmark. Every text here was written for this
// benchmark (DESIGN.md "Not to be copied"); names are invented pseudonyms and common-pattern
// names that belong to no one in particular.
import { createSubmission } from '../src/commands/submission-creator.js';
import { OCCUPATION_CODES } from '../src/domain/occupations.js';
import { ORGANIZATIONS } from '../src/domain/organizations.js';
import { REGION_CODES } from '../src/domain/regions.js';
import { validateSubmission } from '../src/domain/submission.js';
import type { GroupCommit } from '../src/storage/group-commit.js';
import type { SubmissionRecord } from '../src/storage/submission.repository.js';

/** Small, fast, seedable PRNG (mulberry32), so a run's bodies can be reproduced. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['明', '华', '建国', '晓梅', '志强', '秀英', '海燕', '文', '静', '磊', '丽', '军', '平安', '春生', '玉兰', '国庆', '新', '雪', '宁', '远'];
const PSEUDONYM_HEADS = ['清风', '明月', '山中', '江边', '北国', '南山', '远行', '归来', '自由', '求真', '醒悟', '无名', '向善', '初心', '守正'];
const PSEUDONYM_TAILS = ['客', '人', '者', '之子', '老农', '书生', '小舟', '行者', '居士', '一叶', '的风', '老师', '阿姨', '青年'];

const TITLES = [
  '声明退出',
  '我的退出声明',
  '郑重声明',
  '全家退出声明',
  '为了良心而声明',
  '不再做违心的事',
  '迟到的声明',
  '给自己一个交代',
  '从今天起',
  '一位退休教师的声明',
  '写给未来的自己',
  '我们一家的决定',
];

const OPENINGS = [
  '本人在学生时代随大流加入了组织，当时并不明白其中的意义。',
  '我年轻时为了工作分配和前途，在单位里填了入党申请书。',
  '小时候在学校里戴过红领巾，老师说这是光荣，我们也就信了。',
  '多年来我一直心里不安，今天终于下定决心写下这份声明。',
  '我和家人商量了很久，大家一致同意一起声明退出。',
  '作为一名普通的工人，我从来没有真正认同过那些口号。',
  '读了许多书，听了许多亲历者的讲述之后，我开始重新思考过去。',
];
const MIDDLES = [
  '这些年看到身边发生的事情，让我明白了什么是真话，什么是假话。',
  '我不愿意再把自己的名字和那些伤害过无数家庭的事情连在一起。',
  '我的父母经历过那个年代，他们很少说起，但我知道他们心里的苦。',
  '人应该凭良心生活，而不是凭害怕生活，这是我这些年最大的体会。',
  '我曾经以为沉默就是安全，后来才知道沉默也是一种选择。',
  '在国外生活了几年，我第一次可以自由地阅读和讨论历史。',
  '单位里每次学习开会，大家都心照不宣地应付，没有人真的相信。',
  '我希望孩子们长大以后能够说真话，不必像我们这一代人一样戴着面具。',
  '我尊重每一个人的信仰，也希望自己的选择能被尊重。',
  '这份声明不是为了反对谁，而是为了对得起自己的良心。',
  '过去填写的那些表格和誓词，今天我在这里正式收回。',
  '家里的老人常说，做人要清清白白，我想这就是清白的开始。',
];
const CLOSINGS = [
  '特此声明，即日起退出，与其再无任何关系。',
  '以此为证，从今往后堂堂正正地做人。',
  '愿每一个人都能找回自己的良知，平安喜乐。',
  '此声明出于本人自愿，没有任何人强迫。',
  '写下这些字，心里轻松了许多。谢谢你们提供这个地方。',
];

const REGIONS = [...REGION_CODES];
const OCCUPATIONS = [...OCCUPATION_CODES];

export interface BodyFactory {
  /** The next body as UTF-8 JSON bytes; every call gives a different combination. */
  next(): Buffer;
}

/** Realistic, valid, varied submissions in Simplified Chinese: 1–3 declarants, ~200–600 characters of text. */
export function createBodyFactory(seed = 20261127): BodyFactory {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  let serial = 0;

  const displayName = (): { displayName: string; nameKind: 'real' | 'pseudonym' } =>
    random() < 0.7
      ? { displayName: `${pick(PSEUDONYM_HEADS)}${pick(PSEUDONYM_TAILS)}`, nameKind: 'pseudonym' }
      : { displayName: `${pick(SURNAMES)}${pick(GIVEN)}`, nameKind: 'real' };

  const organizations = (): string[] => {
    // A non-empty subset, in varying order (the service stores them in canonical order).
    const chosen = ORGANIZATIONS.filter(() => random() < 0.5);
    if (chosen.length === 0) chosen.push(pick(ORGANIZATIONS));
    return random() < 0.5 ? chosen : chosen.reverse();
  };

  const text = (): string => {
    const parts = [pick(OPENINGS)];
    const target = int(200, 600);
    let length = parts[0]!.length;
    while (length < target) {
      const sentence = pick(MIDDLES);
      parts.push(sentence);
      length += sentence.length;
    }
    parts.push(pick(CLOSINGS));
    // Paragraph breaks now and then, as people write them.
    return parts.map((p, i) => (i > 0 && random() < 0.25 ? `\n\n${p}` : p)).join('');
  };

  return {
    next(): Buffer {
      serial++;
      const declarants = Array.from({ length: random() < 0.6 ? 1 : int(2, 3) }, () => {
        const declarant: Record<string, unknown> = {
          ...displayName(),
          organizations: organizations(),
          region: pick(REGIONS),
        };
        if (random() < 0.5) declarant.occupation = pick(OCCUPATIONS);
        return declarant;
      });
      const body: Record<string, unknown> = { language: 'zh-hans' };
      if (random() < 0.8) body.title = `${pick(TITLES)}（${serial}）`;
      body.text = text();
      body.declarants = declarants;
      return Buffer.from(JSON.stringify(body), 'utf8');
    },
  };
}

/** `n` records exactly as the app builds them (validated, with receipts), from these bodies. */
export async function makeRecords(n: number, seed: number): Promise<SubmissionRecord[]> {
  const records: SubmissionRecord[] = [];
  const writer = { submit: async (r: SubmissionRecord) => void records.push(r) } as unknown as GroupCommit<SubmissionRecord>;
  const bodies = createBodyFactory(seed);
  while (records.length < n) {
    const v = validateSubmission(JSON.parse(bodies.next().toString('utf8')), false);
    if (!v.ok) throw new Error(JSON.stringify(v.errors));
    await createSubmission({ ageRecipients: [], writer }, v.value, { proofOfWork: false });
  }
  return records;
}
