/**
 * Kefu's own small sentiment lexicons (valence -4..+4), written by hand from general
 * knowledge of customer reviews and service chats. Not derived from any evaluation set.
 */

/** English words/phrases → valence. Multi-word keys are matched as phrases. */
export const EN_LEXICON: Readonly<Record<string, number>> = {
  // positive
  good: 2, great: 3, excellent: 3.5, amazing: 3.5, awesome: 3.5, fantastic: 3.5, wonderful: 3.5, superb: 3.5,
  outstanding: 3.5, incredible: 3, terrific: 3, brilliant: 3, perfect: 3, perfectly: 2.5, flawless: 3, flawlessly: 3,
  love: 3, loved: 3, loves: 3, lovely: 2.5, liked: 1.5, 'i like': 1.5, 'we like': 1.5, 'really like': 2, 'i really like': 2, enjoy: 2, enjoyed: 2, enjoying: 2,
  nice: 2, best: 3, better: 1.5, fine: 1, well: 0.8, decent: 1.2, solid: 1.5, sturdy: 2, reliable: 2, durable: 2,
  comfortable: 2, comfortably: 2, comfy: 2, easy: 1.5, easily: 1.5, effortless: 2, simple: 0.8, clear: 1.5,
  clearly: 1, crisp: 2, fast: 1.2, quick: 1.2, quickly: 1, happy: 2.5, pleased: 2.5, satisfied: 2.5, glad: 2,
  delighted: 3, thrilled: 3, impressed: 2.5, impressive: 2.5, recommend: 2.5, recommended: 2, worth: 1.5,
  worthwhile: 2, value: 1, bargain: 1.5, affordable: 1.5, beautiful: 2.5, beautifully: 2.5, pretty: 1.2, cute: 2,
  cool: 1.5, fun: 2, handy: 2, useful: 2, helpful: 2, convenient: 2, pleasant: 2, smooth: 1.5, sleek: 2,
  stylish: 2, elegant: 2, lightweight: 1.2, sharp: 1, bright: 1, responsive: 1.5, secure: 1, securely: 1,
  favorite: 2.5, favourite: 2.5, gem: 2.5, winner: 2.5, exceeded: 2.5, exceeds: 2.5, superior: 2, quality: 0.8,
  works: 1.5, worked: 1.2, working: 0.8, work: 0.8, fits: 1, fit: 0.8, fitted: 0.8, joy: 2.5, wow: 2.5,
  thanks: 1.5, thank: 1.5, appreciate: 2, appreciated: 2, awesomeness: 3, yay: 2.5, friendly: 2, polite: 2,
  professional: 2, patient: 1.5, prompt: 1.5, promptly: 1.5, efficient: 2, accurate: 1.5, 'a+': 3,
  'five stars': 3, '5 stars': 3, 'highly recommend': 3.5, 'no complaints': 2, 'no problems': 2, 'no issues': 2,
  'no problem': 1.5, 'works great': 3, 'works well': 2.5, 'works perfectly': 3, 'well made': 2.5, 'well worth': 2.5,
  'as described': 1.5, 'as advertised': 1.5, 'love it': 3, 'happy with': 2.5, 'pleased with': 2.5,
  'good value': 2.5, 'great value': 3, 'money well spent': 3, 'must have': 2.5, 'holds up': 1.5, 'last long': 1.5,
  tremendous: 3, seamless: 2, seamlessly: 2, compliment: 2, compliments: 2, plenty: 1, snug: 1, match: 1,
  matches: 1, matched: 1, recommendation: 1.5, bonus: 1.5, easier: 1.5, 'gets the job done': 2,
  'does the job': 2, 'what i wanted': 2, 'what i needed': 2, 'exactly what': 1.5, 'could not ask for more': 3,
  'five star': 3, '5 star': 3, 'worth every penny': 3, 'saved money': 1.5, 'no complaint': 2,
  'no trouble': 1.5, 'no problem at all': 2.5, 'well done': 2.5, 'top notch': 3, 'high quality': 2.5,
  'good quality': 2.5, 'great quality': 3,
  loud: 0.5, strong: 1, excellently: 3, wonderfully: 3, nicely: 2, superbly: 3, ideal: 2, classy: 2, gorgeous: 3,
  neat: 1.5, rocks: 2, rock: 0.5, fabulous: 3, exceptional: 3, remarkable: 2, charm: 1.5, improved: 1.5,
  improvement: 1.5, upgrade: 1, success: 2, successful: 2, wise: 1, smart: 1.5, genius: 2.5, clever: 1.5,
  // negative
  bad: -2.5, poor: -2.5, poorly: -2.5, terrible: -3.5, horrible: -3.5, awful: -3.5, worst: -3.5, worse: -2.5,
  hate: -3, hated: -3, hates: -3, disappointed: -2.5, disappointing: -2.5, disappointment: -2.5, disappoint: -2.5,
  useless: -3, junk: -3, garbage: -3, crap: -3, crappy: -3, trash: -3, sucks: -3, suck: -2.5, sucked: -3,
  worthless: -3, pathetic: -3, lousy: -3, horrendous: -3.5, atrocious: -3.5, mediocre: -1.5, inferior: -2,
  unacceptable: -3, unhappy: -2.5, dissatisfied: -2.5, unsatisfied: -2.5, frustrating: -2.5, frustrated: -2.5,
  frustration: -2.5, annoying: -2, annoyed: -2, annoyance: -2, irritating: -2, angry: -2.5, upset: -2,
  regret: -2.5, regrets: -2.5, avoid: -2, beware: -2.5, broke: -2.5, broken: -2.5, breaks: -2, break: -1.5,
  defective: -3, faulty: -2.5, fail: -2.5, failed: -2.5, fails: -2.5, failure: -2.5, failing: -2.5,
  problem: -1.5, problems: -1.5, issue: -1.2, issues: -1.2, trouble: -1.5, hassle: -2, waste: -3, wasted: -3,
  wasting: -3, return: -0.8, returned: -1.5, returning: -1.5, refund: -1, unreliable: -2.5, uncomfortable: -2,
  difficult: -1.5, hard: -0.8, flimsy: -2.5, fragile: -1.5, cracked: -2, crack: -1.5, cracks: -1.5,
  scratched: -2, scratches: -1.5, dead: -2, died: -2.5, dies: -2, dropped: -1, drops: -1, static: -1.5,
  noise: -1, noisy: -1.5, echo: -1.5, slow: -1.5, weak: -1.5, stupid: -2.5, ridiculous: -2.5, unusable: -3,
  unfortunately: -1.5, sadly: -1.5, sad: -2, shoddy: -3, cheaply: -2, cheap: -0.8, overpriced: -2.5,
  expensive: -0.8, loose: -1.2, lacks: -1.5, lacking: -1.5, lack: -1, missing: -1.5, wrong: -2, error: -1.5,
  errors: -1.5, complaint: -1.5, complain: -1.2, awkward: -1.5, bulky: -1, clumsy: -1.5, confusing: -1.5,
  unresponsive: -2, disconnects: -2, disconnected: -1.5, crashes: -2, crashed: -2, freezes: -2, froze: -2,
  leak: -1.5, leaks: -1.5, leaked: -1.5, painful: -2, hurt: -2, hurts: -2, tinny: -1.5, muffled: -1.5,
  garbled: -2, distorted: -2, fuzzy: -1, dim: -1, overheats: -2, overheating: -2, misleading: -2.5, scam: -3,
  ripoff: -3, 'rip off': -3, 'rip-off': -3, cheated: -3, mistake: -2, rude: -3, unhelpful: -2.5, ignored: -2,
  late: -1.5, delayed: -1.5, delay: -1.2, damaged: -2.5, dirty: -2, smell: -1, smells: -1.2, stinks: -2.5,
  lost: -1.5, losing: -1, loses: -1.5, refused: -2, refuse: -1.5, horrid: -3, nightmare: -3, unable: -1.5,
  impossible: -1.5, blah: -1.5, meh: -1.5, boring: -1.5, ugly: -2.5, tired: -1, unclear: -1.5, inaccurate: -2,
  bother: -1.2, bothered: -1.2, pointless: -2.5, terribly: -2.5, badly: -2.5, flaw: -2, flawed: -2, flaws: -2,
  weird: -1, strange: -0.8, drain: -1.2, drains: -1.5, uncomfortably: -2, fell: -1, falling: -1, poorer: -2,
  abhor: -3, displeased: -2.5, drawback: -2, drawbacks: -2, breakage: -2, downside: -1.5, mess: -2,
  unfortunate: -1.5, disgusting: -3, disgusted: -3, furious: -3, outraged: -3, inadequate: -2, insufficient: -1.5,
  incorrect: -2, malfunction: -2.5, malfunctioned: -2.5, glitch: -2, glitches: -2, buggy: -2, hype: -1,
  overrated: -2, creaks: -1.5, blurry: -2, grainy: -1.5, choppy: -1.5, awfully: -2.5,
  'not enough': -2, 'hoping for more': -2, 'expected more': -2, 'expected better': -2, 'expect better': -1.5,
  'should not have bought': -3, 'not have bought': -2.5, 'never got': -2, 'never arrived': -2.5,
  'never received': -2.5, 'not receive': -2, 'for no reason': -1.5, 'blew up': -2.5, 'blow up': -2,
  'thorn in my side': -2.5, 'keep looking': -2, 'steer clear': -3, 'do not waste': -3, 'do not bother': -2.5,
  'not bother': -1.5, 'do not trust': -2.5, 'do not expect': -1.5, 'did not last': -2.5, 'not last': -2,
  'poor quality': -3, 'low quality': -2.5, 'bad quality': -3, 'cheap quality': -2.5, 'far below': -2,
  'not as described': -2.5, 'not as advertised': -2.5, 'last time': -0.5, 'no longer': -1, 'not even': -1,
  junky: -3, '0 stars': -3, 'zero stars': -3, 'one star': -2.5, '1 star': -2.5,
  'waste of money': -3.5, 'waste of time': -3.5, 'stopped working': -3, 'stops working': -3, 'quit working': -3,
  'fell apart': -3, 'falls apart': -3, 'fall apart': -2.5, 'piece of junk': -3.5, 'piece of crap': -3.5,
  'send it back': -2.5, 'sent it back': -2.5, 'sending it back': -2.5, 'returned it': -2.5, 'return it': -2,
  'do not buy': -3, 'not buy': -2, 'not recommend': -3, 'stay away': -3, 'save your money': -3, 'no way': -1.5,
  'waste your money': -3, 'never again': -2.5, 'not worth': -2.5, 'did not work': -3, 'does not work': -3,
  'do not work': -3, 'not work': -2.5, 'not working': -2.5, 'would not': -0.5, 'could not': -0.8,
  'can not': -0.5, 'too small': -1.5, 'too big': -1.5, 'too short': -1.5, 'too loud': -1, 'too quiet': -1.5,
  'too expensive': -2, 'hard to': -1.2, 'difficult to': -1.5, 'went dead': -2.5, 'dead on arrival': -3,
  'doa': -3, 'run out': -1, 'ran out': -1, 'go back': -0.5, 'the hell': -1.5, 'what the': -1,
};

/** Chinese words → valence; longest match wins, so "不错" is read before "不" + "错". */
export const ZH_LEXICON: Readonly<Record<string, number>> = {
  // positive
  好: 1.5, 很好: 2.5, 不错: 2, 挺好: 2, 满意: 2.5, 非常满意: 3.5, 喜欢: 2.5, 很喜欢: 3, 爱: 2.5, 超爱: 3.5,
  推荐: 2, 值得: 2, 值: 1.5, 划算: 2, 实惠: 2, 便宜: 1, 物超所值: 3.5, 性价比高: 3, 超值: 3, 惊喜: 3,
  快: 1, 很快: 2, 迅速: 2, 及时: 2, 给力: 2.5, 赞: 2.5, 点赞: 2.5, 好评: 3, 五星: 3, 完美: 3.5, 优秀: 3,
  精美: 2.5, 精致: 2.5, 漂亮: 2.5, 好看: 2.5, 美观: 2, 舒服: 2.5, 舒适: 2.5, 柔软: 1.5, 耐用: 2.5, 结实: 2,
  牢固: 2, 清晰: 2, 流畅: 2, 方便: 2, 好用: 2.5, 实用: 2, 简单: 1, 轻便: 1.5, 新鲜: 2, 好吃: 2.5, 美味: 2.5,
  正宗: 2, 香: 1.5, 正品: 1.5, 耐心: 2, 热情: 2, 专业: 2, 贴心: 2.5, 周到: 2.5, 负责: 1.5, 用心: 2, 细心: 2,
  礼貌: 2, 友好: 2, 诚信: 2, 靠谱: 2.5, 放心: 2, 信赖: 2, 可靠: 2, 顺利: 2, 顺畅: 2, 顺手: 2, 到位: 2,
  完好: 2, 完好无损: 2.5, 严实: 1.5, 满分: 3, 一流: 3, 优质: 2.5, 上乘: 2.5, 棒: 2.5, 很棒: 3, 真棒: 3,
  厉害: 2, 开心: 2.5, 高兴: 2.5, 感谢: 2, 谢谢: 1.5, 感动: 2, 回购: 2.5, 无可挑剔: 3.5, 超出预期: 3, 物美价廉: 3,
  合适: 1.5, 合身: 2, 显瘦: 1.5, 暖和: 1.5, 清爽: 1.5, 水润: 1.5, 明显: 0.5, 有效: 2, 效果好: 2.5, 省心: 2,
  省事: 1.5, 大方: 1.5, 时尚: 1.5, 高档: 2, 上档次: 2, 有面子: 2, 一致: 1, 相符: 1.5, 舒心: 2.5, 愉快: 2.5,
  ok: 1, 还行: 0.8, 还可以: 1, 可以: 0.5, 没问题: 1.5, 没毛病: 2, 干净: 1.5, 稳定: 1.5, 耐看: 1.5, 好闻: 2,
  // negative
  差: -2.5, 很差: -3, 太差: -3.5, 差评: -3, 不好: -2, 不行: -2, 不满: -2.5, 不满意: -2.5, 失望: -3, 后悔: -2.5,
  坏: -2, 坏了: -2.5, 破: -1.5, 破损: -2.5, 破了: -2, 烂: -2.5, 烂了: -2.5, 垃圾: -3.5, 骗: -3, 骗子: -3.5,
  被骗: -3, 坑: -2.5, 坑人: -3, 慢: -1.5, 太慢: -2.5, 拖: -1.5, 拖拉: -2, 拖拖拉拉: -2, 粗糙: -2.5, 劣质: -3,
  假货: -3.5, 假: -1.5, 翻新: -2.5, 旧: -1, 脏: -2, 臭: -2, 异味: -2, 味道大: -2, 刺鼻: -2.5, 难闻: -2.5,
  难吃: -3, 难用: -3, 难看: -2.5, 难受: -2, 麻烦: -1.5, 折腾: -2, 心累: -2.5, 闹心: -2.5, 糟糕: -3, 恶心: -3,
  恶劣: -3, 冷淡: -2, 敷衍: -2.5, 不理: -2, 没人理: -2.5, 不回: -1.5, 爱理不理: -3, 推卸: -2.5, 踢皮球: -2.5,
  推三阻四: -2.5, 态度差: -3, 投诉: -2, 欺骗: -3, 虚假: -2.5, 不符: -2, 不一样: -1, 色差: -2, 掉色: -2,
  起球: -2, 开胶: -2.5, 开线: -2, 线头: -1.5, 划痕: -2, 瑕疵: -2, 故障: -2.5, 问题: -1, 毛病: -1.5,
  闪退: -2.5, 卡顿: -2, 死机: -2.5, 失败: -2, 错误: -1.5, 发错: -2, 少了: -1.5, 缺: -1, 漏: -1, 过敏: -2.5,
  贵: -1.5, 太贵: -2.5, 不值: -2.5, 浪费: -2.5, 浪费钱: -3, 亏: -2, 吃亏: -2, 降价: -1, 偏小: -1, 偏大: -0.5,
  薄: -0.8, 轻飘飘: -1, 简陋: -2, 压扁: -2, 压坏: -2.5, 摔坏: -2.5, 变形: -2, 湿: -1, 漏水: -2.5, 发烫: -1.5,
  隐患: -2, 危险: -2.5, 杂音: -2, 噪音: -2, 没声音: -2.5, 不耐用: -2.5, 没电: -1, 无语: -2.5, 生气: -2.5,
  气死: -3.5, 郁闷: -2, 无奈: -1.5, 遗憾: -1.5, 可惜: -1.5, 一般: -0.8, 一般般: -0.8, 凑合: -0.8, 将就: -1,
  不推荐: -3, 别买: -3, 不要买: -3, 再也不: -3, 拉黑: -3, 退货: -0.4, 退款: -0.4, 帮助: 1.5, 有帮助: 1.5, 没帮助: -2, 被封: -2, 封号: -2,
  不新鲜: -2.5, 腐烂: -3, 过期: -2.5, 变质: -3, 咸: -1, 太咸: -2, 太甜: -1.5, 油腻: -1.5, 莫名其妙: -2,
  不清楚: -1, 不靠谱: -3, 不专业: -2.5, 不负责: -2.5, 不及时: -2, 不好用: -2.5, 不耐烦: -2.5, 差劲: -3,
  离谱: -2.5, 太坑: -3, 坑爹: -3, 忽悠: -2.5, 虚标: -2.5, 缩水: -2, 缺斤少两: -3, 以次充好: -3, 冒牌: -3,
};

/** English negators (after contraction expansion "don't" → "do not"). */
export const EN_NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'none', 'nothing', 'neither', 'nor', 'without', 'hardly', 'barely', 'cannot', 'nobody',
  'lacks', 'lacking', 'cant', 'dont', 'doesnt', 'didnt', 'wont', 'isnt', 'wasnt', 'arent', 'werent', 'couldnt',
  'wouldnt', 'shouldnt', 'havent', 'hasnt', 'aint',
]);

/** English intensifiers (> 1) and dampeners (< 1). */
export const EN_MODIFIERS: Readonly<Record<string, number>> = {
  very: 1.3, really: 1.3, extremely: 1.5, so: 1.25, too: 1.2, absolutely: 1.4, completely: 1.3, totally: 1.3,
  truly: 1.3, highly: 1.3, super: 1.4, incredibly: 1.5, especially: 1.2, most: 1.2, quite: 1.1, pretty: 1.1,
  utterly: 1.5, seriously: 1.3, definitely: 1.2, 'such': 1.2, fairly: 0.8, somewhat: 0.7, slightly: 0.6,
  little: 0.8, bit: 0.8, kind: 0.8, sort: 0.8, barely: 0.6, almost: 0.8, mostly: 0.8,
};

/** Chinese negators, longest first; a negator shortly before a lexicon word flips it. */
export const ZH_NEGATORS: readonly string[] = ['不是很', '不怎么', '不太', '没有', '并不', '从不', '从没', '毫无', '并没', '木有', '不咋', '不', '没', '无'];

/** Chinese intensifiers (> 1) and dampeners (< 1). */
export const ZH_MODIFIERS: ReadonlyArray<[string, number]> = [
  ['非常', 1.5], ['特别', 1.5], ['十分', 1.4], ['极其', 1.6], ['超级', 1.5], ['相当', 1.3], ['真的', 1.3],
  ['实在', 1.3], ['太', 1.4], ['超', 1.4], ['很', 1.2], ['挺', 1.1], ['真', 1.2], ['最', 1.4], ['巨', 1.4],
  ['贼', 1.3], ['他妈', 1.5], ['根本', 1.4], ['完全', 1.4], ['一点都', 1.3], ['一点也', 1.3], ['严重', 1.5], ['好', 1.2], ['有点', 0.7], ['有些', 0.7], ['稍微', 0.6], ['比较', 0.9], ['略', 0.6],
];

/**
 * More Chinese review vocabulary across product kinds (clothing, shoes, electronics, appliances,
 * cosmetics, food, furniture, toys, books, delivery and service), written from general
 * knowledge of how Chinese shoppers review. Merged over ZH_LEXICON (these win on a clash).
 */
export const ZH_LEXICON_MORE: Readonly<Record<string, number>> = {
  // --- positive: quality, use, looks, fit
  很正: 2, 版型好: 2.5, 显白: 2, 显气质: 2.5, 有气质: 2, 气质: 1, 有型: 2, 好搭: 2, 百搭: 2, 上身效果好: 2.5,
  服帖: 2, 持妆: 2, 细腻: 2, 亲肤: 2, 透气: 1.5, 保暖: 1.5, 软软的: 1.5, 软糯: 2, 滋润: 2, 水润: 2, 清爽: 1.5, 不油腻: 2,
  鲜艳: 1.5, 高级: 1.5, 高级感: 2, 质感: 1.5, 有质感: 2, 颜值高: 2.5, 颜值: 1, 做工好: 2.5, 做工精细: 2.5, 精细: 2,
  扎实: 2, 厚实: 1.5, 稳固: 2, 平稳: 1.5, 安静: 1.5, 静音: 1.5, 灵敏: 1.5, 跟手: 2, 顺滑: 2, 丝滑: 2,
  轻快: 1.5, 小巧: 1.5, 轻巧: 1.5, 轻薄: 1, 够用: 1.5, 耐摔: 2, 锋利: 1.5, 顺手: 2, 省电: 1.5, 续航好: 2, 续航久: 2,
  续航强: 2, 音质好: 2.5, 音质: 0.5, 清楚: 1.5, 清晰度高: 2, 走时准: 2, 强劲: 1.5, 给力: 2.5, 惊艳: 3, 神器: 2.5,
  必备: 2, 实在: 1.5, 良心: 2.5, 良心商家: 3, 宝藏: 2.5, 真香: 2.5, 绝了: 2.5, 绝绝子: 3, yyds: 3, 爱了: 3, 爱不释手: 3,
  种草: 1.5, 无限回购: 3.5, 回购: 2.5, 必买: 2.5, 必点: 2.5, 必入: 2.5, 买对了: 2.5, 没买错: 2.5, 不后悔: 2.5, 值了: 2.5,
  值得买: 2.5, 值得购买: 2.5, 超值: 3, 性价比: 1, 性价比很高: 3, 性价比超高: 3, 物超所值: 3.5, 便宜又好: 3, 正品无疑: 2.5,
  一模一样: 1.5, 一致: 1, 和图片一样: 1.5, 跟图片一样: 1.5, 与描述一致: 2, 描述相符: 2, 超出预期: 3, 比想象中好: 3, 比预期好: 3,
  没话说: 2.5, 没的说: 2.5, 没得说: 2.5, 没得挑: 3, 挑不出毛病: 3, 无可挑剔: 3.5, 一如既往: 1.5, 一如既往的好: 3, 放心: 2,
  安心: 2, 舒服多了: 2.5, 解放双手: 2.5, 方便多了: 2.5, 整齐多了: 2, 省事: 1.5, 满分: 3, 好评如潮: 3, 五星好评: 3.5,
  超赞: 3, 赞赞: 3, 棒棒: 3, 棒棒哒: 3, 666: 2, 太牛: 2.5, 很强: 2, 优秀: 3, 喜欢: 2.5, 最爱: 3, 心水: 2,
  合心意: 2.5, 满意: 2.5, 很满意: 3, 挺满意: 2.5, 惊喜: 3, 开心: 2.5, 好开心: 3, 感谢: 2, 辛苦了: 2, 辛苦啦: 2, 加油: 1,
  // food, freshness, taste
  好吃: 2.5, 好喝: 2.5, 很香: 2, 香甜: 2, 鲜美: 2.5, 新鲜: 2, 嫩: 1.5, 脆: 1.5, 酥: 1, 入味: 2, 地道: 2,
  正宗: 2, 可口: 2.5, 美味: 2.5, 甜: 1, 很甜: 2, 多汁: 2, 饱满: 2, 颗颗饱满: 2.5, 有嚼劲: 2, 回甘: 2, 香气: 1, 浓郁: 1.5,
  量大: 1.5, 量足: 2, 分量足: 2, 分量大: 1.5, 料足: 2, 实惠: 2, 热乎: 2, 热乎乎: 2, 热的: 1, 干净卫生: 2, 卫生: 1.5,
  // delivery and service
  快: 1, 很快: 2, 超快: 2.5, 神速: 3, 准时: 2, 及时: 2, 按时: 1.5, 送货上门: 1.5, 包装好: 2, 包装精美: 2.5,
  包装用心: 2.5, 包装严实: 2, 完好无损: 2.5, 耐心: 2, 热情: 2, 周到: 2.5, 贴心: 2.5, 专业: 2, 礼貌: 2, 客气: 1.5,
  态度好: 2.5, 服务好: 2.5, 服务周到: 3, 帅: 1.5, 可爱: 2, 暖心: 2.5,
  // --- negative: defects and wear
  跑毛: -2.5, 掉毛: -2.5, 起球: -2, 缩水: -2.5, 变形: -2, 走形: -2, 褪色: -2, 掉色: -2, 染色: -1.5, 串色: -2, 开胶: -2.5,
  开线: -2, 脱线: -2, 断线: -2, 线头: -1.5, 线头多: -2, 起皱: -1.5, 褶子: -1.2, 皱巴巴: -2, 污渍: -2, 污点: -2, 脏: -2,
  霉: -2.5, 发霉: -3, 霉味: -2.5, 生锈: -2.5, 掉漆: -2, 脱漆: -2, 掉皮: -2, 磨损: -1.5, 划痕: -2, 刮花: -2,
  裂了: -2.5, 裂开: -2.5, 碎了: -2.5, 破: -1.5, 破了: -2, 破洞: -2.5, 漏: -1.5, 漏了: -2, 漏水: -2.5,
  漏气: -2, 漏液: -2.5, 洒了: -2, 撒了: -2, 断了: -2.5, 掉了: -1.2, 松动: -1.5, 松了: -1.5, 晃: -1,
  晃动: -1.5, 塌: -2, 塌了: -2.5, 散架: -3, 滑丝: -2, 卡住: -1.5, 卡顿: -2, 死机: -2.5, 闪退: -2.5, 黑屏: -2.5, 花屏: -2.5,
  断连: -2, 掉线: -2, 失灵: -2.5, 不灵: -2, 没反应: -2.5, 不亮: -2, 不转: -2, 不动了: -2.5, 坏: -2, 坏了: -2.5,
  坏掉: -2.5, 报废: -3, 故障: -2.5, 毛病: -1.5, 出毛病: -2.5, 有问题: -1.5, 接触不良: -2.5, 充不进: -2.5, 充不上: -2.5,
  发热: -1.5, 发烫: -1.5, 烫手: -2, 冒烟: -3, 短路: -3, 漏电: -3, 掉电: -2, 费电: -1.5, 耗电: -1.5, 不耐用: -2.5,
  不结实: -2.5, 不牢: -2, 不稳: -1.5, 不准: -2, 不保温: -2.5, 不制冷: -2.5, 不制热: -2.5, 不防水: -2, 不防滑: -2,
  噪音大: -2.5, 声音大: -2, 异响: -2.5, 咯吱: -1.5, 吱吱: -1.5, 嗡嗡: -1.5, 刺耳: -2, 吵: -1.5, 频闪: -2,
  模糊: -2, 不清楚: -1.5, 不清晰: -2, 看不清: -2, 听不清: -2, 虚焦: -2, 色差: -2, 色差大: -2.5, 偏色: -1.5, 有色差: -2,
  // fit and comfort
  磨脚: -2.5, 挤脚: -2, 夹脚: -2, 硌脚: -2, 破皮: -2.5, 勒: -1.5, 勒得慌: -2, 扎人: -2, 硌: -1.5, 闷: -1, 闷脚: -2,
  闷痘: -2.5, 搓泥: -2, 卡粉: -2, 脱妆: -2, 斑驳: -1.5, 起皮: -1.5, 紧绷: -1.5, 干燥: -1, 油腻: -1.5, 黏: -1, 黏腻: -1.5,
  过敏: -2.5, 红疹: -2.5, 长痘: -2, 爆痘: -2.5, 痒: -1.5, 刺痛: -2, 疼: -1.5, 痛: -1.5, 头疼: -2, 头晕: -2, 头痛: -2,
  累: -1, 难受: -2, 不舒服: -2, 不合身: -2, 不合适: -1.2, 太紧: -1.5, 太松: -1.5, 偏小: -1, 偏大: -0.5, 短了: -1, 长了: -0.8,
  // smell, material, authenticity
  异味: -2, 怪味: -2.5, 味道大: -2, 气味大: -2, 味很大: -2, 塑料味: -2.5, 胶水味: -2.5, 甲醛: -2.5, 甲醛味: -3, 橡胶味: -2,
  油漆味: -2.5, 刺鼻: -2.5, 臭: -2, 发臭: -2.5, 馊: -3, 哈喇味: -3, 哈喇: -2.5, 腥: -1.5, 腥味: -2, 酸臭: -3,
  劣质: -3, 廉价: -2, 廉价感: -2.5, 粗糙: -2.5, 做工差: -3, 做工粗糙: -3, 材质差: -3, 薄: -0.8, 太薄: -2, 很薄: -1.5,
  盗版: -3, 山寨: -3, 假货: -3.5, 仿品: -3, 高仿: -3, 不是正品: -3.5, 以次充好: -3, 二手: -2, 翻新: -2.5, 瑕疵: -2,
  瑕疵品: -3, 次品: -3, 残次品: -3, 退回来的: -2.5, 用过的: -2.5, 错别字: -2, 缺页: -2.5, 虚标: -2.5, 缩水严重: -3,
  与描述不符: -3, 描述不符: -3, 不符: -2, 货不对板: -3, 图文不符: -3, 买家秀: -0.5, 卖家秀: -0.5, 照骗: -2.5,
  // food and freshness
  难吃: -3, 难喝: -3, 不好吃: -2.5, 不好喝: -2.5, 没味道: -2, 没什么味道: -2, 没味: -2, 淡: -0.8, 太淡: -1.5, 寡淡: -2,
  咸: -1, 太咸: -2, 齁: -2, 太甜: -1.5, 太辣: -1.5, 太油: -2, 腻: -1.5, 苦: -1, 发苦: -2, 涩: -1,
  太硬: -2, 咬不动: -2.5, 嚼不动: -2.5, 干巴巴: -2, 柴: -1.5, 生的: -1.5, 不熟: -2, 夹生: -2.5,
  糊: -1.5, 糊了: -2, 烂了: -2.5, 坏果: -2.5, 软了: -1.5, 空壳: -2.5, 虫: -2, 虫子: -3, 异物: -3, 变质: -3,
  过期: -2.5, 临期: -2, 不新鲜: -2.5, 凉了: -2, 凉的: -1.5, 冷了: -2, 都凉了: -2.5, 坨了: -2, 稀: -1, 太稀: -1.5,
  太少: -2, 量少: -2, 量太少: -2.5, 分量少: -2, 少得可怜: -3, 不够吃: -2, 吃不饱: -2,
  // delivery and service
  慢: -1.5, 很慢: -2.5, 太慢: -2.5, 好慢: -2.5, 超慢: -3, 龟速: -3, 迟到: -2, 晚到: -2, 送晚了: -2, 超时: -2, 太久: -2,
  好久: -1.5, 等太久: -2.5, 漏送: -2.5, 少送: -2.5, 送错: -2.5, 发错: -2, 错发: -2, 漏发: -2.5, 少发: -2.5, 少件: -2.5,
  缺件: -2.5, 不送: -1.5, 没送: -1.5, 不给: -1, 没给: -1.2, 忘了: -1, 压坏: -2.5, 压扁: -2, 摔坏: -2.5, 破损: -2.5,
  没人管: -2.5, 没人理: -2.5, 不理人: -2.5, 不处理: -2.5, 不管: -1.5, 推脱: -2.5, 推诿: -2.5, 踢皮球: -2.5, 态度不好: -3,
  态度差: -3, 态度恶劣: -3.5, 不耐烦: -2.5, 凶: -2, 骂人: -3, 不客气: -2, 没礼貌: -2.5, 不接电话: -2, 电话不接: -2,
  // disappointment, regret, anger, slang
  失望: -3, 很失望: -3, 太失望: -3.5, 大失所望: -3.5, 后悔: -2.5, 后悔买: -3, 踩雷: -3, 踩坑: -3, 翻车: -2.5, 拔草: -2,
  智商税: -3, 割韭菜: -3, 鸡肋: -2, 一言难尽: -2.5, 呵呵: -1.5, 服了: -1.5, 醉了: -1.5, 无语: -2.5, 心累: -2.5,
  崩溃: -2.5, 气人: -3, 生气: -2.5, 窝火: -2.5, 恶心: -3, 恶心死了: -3.5, 坑: -2, 坑人: -3, 被坑: -3, 上当: -3, 被骗: -3,
  骗人: -3, 垃圾: -3.5, 辣鸡: -3, 屎: -3, 一坨屎: -3.5, 屁用: -3, 傻逼: -3.5, 尼玛: -3, 妈的: -2.5, 坑爹: -3, 差劲: -3,
  差评: -3, 退货: -0.4, 退了: -1.5, 已退: -1.5, 白花钱: -3, 浪费钱: -3, 不值: -2.5, 不值得: -2.5, 不值这个价: -3,
  不推荐: -3, 慎买: -3, 别买: -3, 不会再买: -3, 不会再来: -3, 再也不买: -3.5, 再也不会: -3, 最后一次: -2.5, 提心吊胆: -2.5,
  什么意思: -1.5, 怎么回事: -1, 搞什么: -2, 搞毛: -2.5, 闹心: -2.5, 费劲: -2, 麻烦: -1.5, 难用: -3, 不好用: -2.5,
  不方便: -2, 不实用: -2, 没用: -2, 没效果: -2.5, 没什么效果: -2.5, 没有效果: -2.5, 跟没用一样: -3, 用了跟没用一样: -3,
  严重: -1.2, 很严重: -2, 还不如: -2, 不如: -1.2, 很牢: 2, 牢靠: 2, 很稳: 2, 很硬: -1.5, 硬邦邦: -2,
  香: 0, 好香: 2, 挺香: 2, 特别香: 2, 香喷喷: 2, 太晚: -2, 晚了: -1.2, 饿死: -2, 冰了: -1.5, 没熟: -2, 无耻: -3, sb: -3,
  不看备注: -2, 不当回事: -2.5, 不当个事: -2.5, 白搭: -2, 白费: -2, 没有想象: -1, 没想象: -1, 少: -1, 非常少: -2.5,
  足: 1, 敬业: 2.5, 不见了: -1.5, 太黑: -2, 黑心: -3, 漫长: -1.5, 不要了: -1, 吃出: -2, 噎: -1.5, 毁了: -2.5, 三思: -2,
  不能接受: -2.5, 无法接受: -2.5, 接受不了: -2.5, 没人接: -2, 打不通: -2, 有进步: 1.5, 进步: 1, 好多了: 2, 还好: 0.8,
  挺早: 1.5, 神一样: 2.5, 秒送: 2.5, 太吊: 2, 高度评价: 3, 正能量: 1.5, 潜力股: 1.5, 首选: 2, 没毛病: 2, 不错哦: 2.5,
  好干: -1.5, 太干: -2, 很干: -1.5, 特别干: -2, 有点硬: -1, 松软: 1.5, 有待提高: -1.5, 有待改进: -1.5, 需努力: -1,
  望改进: -1.5, 再接再厉: 1, 没收到: -1.5, 给个解释: -2, 疯了: -2, 也就算了: -1,
  也就那样: -1.5, 就那样: -1.2, 洒: -1.5, 很一般: -2, 太一般: -2.5, 不咋的: -2,
  合口味: 2, 对胃口: 2, 扔了: -2, 量小: -1.5, 大料味: -1.5, 好烦: -2, 烦: -1.5, 不爽: -2.5,
  过分: -2.5, 太过分: -3, 不能忍: -2.5, 忍不了: -2.5, 受不了: -2.5, 够了: -1.5, 真是够了: -2.5, 汗: -0.8, 逗我: -2,
  服气: -1.5, 反胃: -2.5, 想吐: -2.5, 拉肚子: -3, 闹肚子: -3, 蜗牛: -2, 不敢恭维: -2.5, 只有: -0.5, 肥肉: -1.2,
  剩饭: -2, 剩米饭: -2, 没法吃: -2.5, 不能吃: -2.5, 好少: -2, 很少: -1.5, 有点少: -1.2, 少了点: -1.2, 偏少: -1.2,
  少了一点: -1.2, 飞一般: 2.5, 耽误: -2, 耽误事: -2.5, 不靠谱: -3, 没诚意: -2.5, 敷衍了事: -3,
  一般: -1, 一般般: -1.5, 凑合: -0.8, 勉强: -1, 还凑合: -0.5, 不怎么样: -2, 不太行: -2, 不行: -2, 不咋地: -2, 不咋样: -2,
};

/**
 * Chinese words that take the sign of the opinion just before them in the same clause:
 * "掉电也快" and "掉毛掉得厉害" are complaints, "物流很快" and "很厉害" praise.
 */
export const ZH_FOLLOWERS: readonly string[] = ['快', '很快', '太快', '特别快', '超快', '厉害', '很厉害', '严重', '很严重', '明显', '很明显'];

/**
 * Verbs that turn a preceding negative thing into good news ("痘痘少了很多", "异味没了").
 * Checked right after a negative lexicon word.
 */
export const ZH_RELIEF = /^(?:也|都|就)?(?:少了|减少|减轻|没了|没有了|消失|不见了|淡了|好了|好多了|改善|缓解|解决了)/;

/** Chinese nouns for common skin/household troubles, so "痘痘少了" reads as an improvement. */
export const ZH_TROUBLE_NOUNS: Readonly<Record<string, number>> = {
  痘痘: -1, 痘: -1, 黑头: -1, 皱纹: -1, 斑点: -1, 细纹: -1, 毛躁: -1, 掉发: -1, 脱发: -1, 头屑: -1, 腰酸: -1, 腰不酸了: 2,
};
