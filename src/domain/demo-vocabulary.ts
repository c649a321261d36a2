// The words the demo generator (demo-statements.ts) composes names and statements from. Every
// fragment here was written for this project (DESIGN.md "Not to be copied"): no published
// statement, article or real person's name is quoted. Names are common surnames and given-name
// characters put together at random, so they belong to nobody in particular.

/** Single-character and two-character surnames for real-name style Chinese names. */
export const ZH_SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
  '欧阳',
  '司马',
  '上官',
  '诸葛',
];

/** Given-name characters; one or two of them follow a surname. */
export const ZH_GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志文斌宁亮凯辉鹏飞春雪梅林海燕晨阳宇浩然思远嘉欣子涵雨轩博丹晓峰俊秋云松柏德荣慧琳'];

/** First and second halves of Chinese pseudonyms: 清风 + 过客 → 清风过客. */
export const ZH_PSEUDONYM_HEADS = ['清风', '明月', '远山', '江畔', '北国', '南岭', '晨光', '秋水', '松下', '竹林', '归途', '长河', '白云', '小城', '旷野', '雪原', '海边', '田间', '灯下', '黎明'];
export const ZH_PSEUDONYM_TAILS = ['过客', '行者', '书生', '老农', '渔夫', '居士', '旅人', '小舟', '一叶', '闲人', '守望者', '读书人', '老兵', '园丁', '教书匠', '异乡人', '追光者', '听雨人'];
/** Pseudonyms that describe the person instead of naming them: 一位 + 退休 + 工程师. */
export const ZH_DESCRIPTIONS = ['退休', '年轻', '普通', '海外', '东北', '山区', '沿海', '老', '不愿透露姓名的', '在读'];
export const ZH_ROLES = ['工程师', '教师', '医生', '工人', '农民', '学生', '护士', '司机', '会计', '厨师', '店主', '职员', '母亲', '父亲'];

/** Latin-script names: pinyin real-name style and English pseudonyms. */
export const LATIN_SURNAMES = ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Hu', 'Guo', 'Lin', 'Luo', 'Gao', 'Zheng', 'Liang', 'Song', 'Tang', 'Han', 'Feng', 'Deng'];
export const LATIN_GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Li', 'Qiang', 'Lei', 'Jun', 'Yang', 'Yong', 'Jie', 'Tao', 'Ming', 'Chao', 'Xia', 'Ping', 'Gang', 'Hua', 'Ning', 'Liang', 'Kai', 'Hui', 'Peng', 'Fei', 'Chun', 'Xue', 'Mei', 'Yu', 'Hao'];
export const LATIN_PSEUDONYM_HEADS = ['Quiet', 'Morning', 'Northern', 'Distant', 'Free', 'Silent', 'Autumn', 'River', 'Mountain', 'Honest', 'Little', 'Old', 'Bright', 'Wandering'];
export const LATIN_PSEUDONYM_TAILS = ['Traveller', 'Reader', 'Farmer', 'River', 'Pine', 'Teacher', 'Lantern', 'Willow', 'Sparrow', 'Walker', 'Gardener', 'Sailor', 'Voice', 'Friend'];

/** Sentence parts in Simplified Chinese: when + who + what happened (compose.ts joins them). */
export const ZH_TIMES = [
  '上小学的时候', '读初中那年', '上大学那年', '刚参加工作时', '在部队服役期间', '在工厂上班的时候', '九十年代初', '二十多年前',
  '年轻的时候', '毕业分配之前', '在村里当干部时', '那一年', '退休以前', '刚到单位不久', '高中毕业前夕', '很多年前',
];
export const ZH_SUBJECTS = ['我', '我和妻子', '我和丈夫', '我们全家', '我的父母', '我和哥哥', '我们一家三口', '本人', '我和姐姐', '我们夫妻二人'];
export const ZH_JOINED = [
  '在老师的安排下戴上了红领巾', '随大流加入了共青团', '为了评先进写了入党申请书', '被班主任点名入了团',
  '在单位的动员下宣了誓', '为了提干入了党', '稀里糊涂地成了少先队员', '被要求填了一张表格', '为了分房子交了申请',
  '在一次集体活动中举手宣誓', '为了毕业分配写了思想汇报',
];
export const ZH_REASONS = [
  '那时并不明白这意味着什么', '当时以为这是理所当然的事', '身边的人都是这样做的', '没有人告诉我们还可以拒绝',
  '心里其实一直有疑问', '只是想让日子过得安稳一些', '家里人说这样对前途有好处', '我们从小听到的只有一种说法',
];
export const ZH_REFLECTIONS = [
  '这些年我读了很多书，慢慢看清了许多事情的真相。', '我不愿意再用沉默换取表面的平安。', '人活一世，总要对得起自己的良心。',
  '说真话不应该是一件需要勇气的事。', '我希望孩子们将来能生活在一个可以自由说话的地方。', '过去的誓言不是出于我的本心，今天我把它收回。',
  '我见过太多因为一句话就被带走的人。', '父亲临终前对我说，做人要清白。', '我想把自己的名字和那些谎言分开。',
  '在海外生活的几年里，我第一次听到了不同的声音。', '每一次开会学习，大家都只是在应付。', '信仰应该是自由的选择，而不是被安排的身份。',
  '我们这一代人背负了太多不该背负的东西。', '良知不会因为害怕而消失。', '看到邻居一家的遭遇，我再也无法假装不知道。',
  '我不恨任何人，只是不想再骗自己。', '村里的老人常说，天理自在人心。', '我的选择不为名利，只为心安。',
  '这份声明我想了很多年，今天终于写了下来。', '真相也许会迟到，但它不会缺席。',
];
export const ZH_CLOSINGS = [
  '特此声明，即日起退出。', '以此为证，从此与其再无关系。', '本声明出于自愿，没有任何人强迫。', '愿所有人平安。',
  '写下这些字，心里轻松了很多。', '谢谢你们提供这个地方让我说出心里话。', '从今天起，我只做一个普通而诚实的人。', '此声明长期有效。',
];
/** Short statements that stand alone. */
export const ZH_SHORT = [
  '声明退出，此前的一切誓言作废。', '我自愿退出，与其断绝一切关系。', '本人声明退出，望家人平安。', '退出，不再回头。',
  '我郑重声明退出，以后不再参加任何相关活动。', '声明作废当年的誓言，从此心安。',
];
/** Headline parts of long articles: 一位退休教师 + 的 + 心里话. */
export const ZH_TITLE_HEADS = ['一位退休教师', '一个普通工人', '一名老兵', '一位乡村医生', '一个海外学子', '一位母亲', '一个农民的儿子', '一名前干部', '我们一家', '一位老党员'];
export const ZH_TITLE_TAILS = ['的心里话', '的退出声明', '的三十年', '为什么选择退出', '写给家人的信', '的醒悟', '终于说出了真话', '的回忆与反思'];
export const ZH_SHORT_TITLES = ['郑重声明', '我的声明', '全家声明', '迟到的声明', '给自己一个交代', '从今天起', '心安', '不再沉默'];

/** English sentence parts (zh + en texts share the structure; the words are their own). */
export const EN_TIMES = [
  'When I was in primary school', 'In my first year at university', 'When I started my first job', 'During my military service',
  'Back in the nineties', 'More than twenty years ago', 'Before graduation', 'When I worked at the factory', 'Many years ago',
];
export const EN_SUBJECTS = ['I', 'my wife and I', 'my whole family', 'my parents', 'my brother and I', 'the three of us'];
export const EN_JOINED = [
  'put on the red scarf because the teacher told us to', 'joined the Youth League like everyone else in class',
  'wrote an application to the Party to get a promotion', 'took an oath at a ceremony we did not understand',
  'filled in a form because it was expected', 'joined so that the job assignment would go smoothly',
];
export const EN_REASONS = [
  'nobody told us that we could say no', 'it seemed the normal thing to do', 'we only ever heard one version of events',
  'I had doubts even then', 'my family said it would help my future',
];
export const EN_REFLECTIONS = [
  'Over the years I have read a great deal and slowly understood what really happened.', 'I no longer want to buy a quiet life with silence.',
  'Telling the truth should not take courage.', 'I hope my children can grow up where people speak freely.',
  'The oath was never truly mine, and today I take it back.', 'My father told me to keep my name clean.',
  'Living abroad, I heard other voices for the first time.', 'Conscience does not disappear because we are afraid.',
  'I do not hate anyone; I simply will not lie to myself any more.', 'Belief should be a free choice, not an assigned identity.',
  'I have thought about this statement for many years.', 'The truth may come late, but it does come.',
];
export const EN_CLOSINGS = [
  'I hereby withdraw, effective today.', 'This statement is made of my own free will.', 'May everyone be safe.',
  'Writing this down has lifted a weight from me.', 'Thank you for giving me a place to say this.', 'From today on I am simply an honest person.',
];
export const EN_SHORT = ['I withdraw, and I renounce the oath I once took.', 'I declare my withdrawal. May my family be safe.', 'Withdrawn, of my own free will.'];
export const EN_TITLE_HEADS = ['A retired teacher', 'A factory worker', 'A former soldier', 'A village doctor', 'A student abroad', 'A mother', 'A farmer\'s son'];
export const EN_TITLE_TAILS = ['speaks her mind', 'explains his withdrawal', 'looks back on thirty years', 'writes to the family', 'finally says it aloud'];
export const EN_SHORT_TITLES = ['My statement', 'Our family\'s statement', 'A late statement', 'No longer silent', 'At peace'];

/**
 * Search terms that occur in the generated texts or names, for benchmarks and tests: Chinese
 * words of one to four characters and English words, as readers would type them.
 */
export const DEMO_SEARCH_TERMS = {
  zh1: ['党', '团', '心', '家', '书', '信', '真'],
  zh2: ['退出', '良心', '真相', '声明', '自由', '孩子', '誓言', '平安', '沉默', '海外', '父亲', '老师', '单位', '家人'],
  zh3: ['共青团', '红领巾', '少先队', '读书人', '入党申', '心里话', '老党员', '毕业分'],
  zh4: ['特此声明', '思想汇报', '毕业分配', '入党申请', '自由说话', '郑重声明', '良知不会', '退休教师'],
  en: ['oath', 'conscience', 'truth', 'family', 'withdraw', 'silence', 'teacher', 'league', 'scarf', 'freely'],
} as const;
