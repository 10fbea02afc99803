/**
 * Offline sentiment (positive / neutral / negative) for Chinese and English customer text,
 * plus keyword topics for feedback comments.
 *
 * Method: lexicon scoring in the style of VADER (Hutto & Gilbert 2014): each lexicon hit
 * contributes its valence, scaled by preceding intensifiers/dampeners, flipped by a nearby
 * negator ("not good", "不太满意"), down-weighted before and up-weighted after a contrast
 * ("but", "但是"), damped inside questions, and boosted by exclamation marks. Chinese adds a
 * character n-gram model trained on Kefu's own review corpus (sentiment-model.ts), combined with
 * the lexicon as a product of experts (see sentiment()).
 */

import { TOPICS, type Topic } from './categories.ts';
import {
  EN_LEXICON,
  EN_MODIFIERS,
  EN_NEGATORS,
  ZH_FOLLOWERS,
  ZH_LEXICON,
  ZH_LEXICON_MORE,
  ZH_MODIFIERS,
  ZH_NEGATORS,
  ZH_RELIEF,
  ZH_TROUBLE_NOUNS,
} from './sentiment-lexicon.ts';
import { modelSentiment } from './sentiment-model.ts';
import { editDistance, expandContractions, normalize, STOPWORDS } from './text.ts';

/** Three-way sentiment label. */
export type SentimentLabel = 'positive' | 'neutral' | 'negative';

/** Sentiment result: label, normalised score in [-1, 1] and the raw lexicon sum. */
export interface SentimentResult {
  label: SentimentLabel;
  score: number;
  raw: number;
}

/** |raw| below this is neutral. */
const NEUTRAL_BAND = 0.5;

const EN_PHRASE_MAX = 4;
const CONTRAST_EN = new Set(['but', 'however', 'though', 'yet']);

/** Neutral senses that must win the longest match over a sentiment character (快递 is not 快). */
const ZH_NEUTRAL = [
  '快递',
  '快点',
  '尽快',
  '加快',
  '赶快',
  '好几',
  '好像',
  '只好',
  '好多',
  '差不多',
  '出差',
  '假期',
  '放假',
  '请假',
  '拖鞋',
  '慢慢',
  '没想到',
  '不管',
  '不知道',
  '不用',
  '不然',
  '无论',
  '不一定',
  '要不要',
  '是不是',
  '能不能',
  '可不可以',
  '有没有',
  '好不好',
  '问一下',
  '请问',
  '值班',
  '香港',
  '一般来说',
  '不断',
  '不久',
  '多少',
  '至少',
  '累计',
  '积累',
  '正在',
  '老人',
  '快乐',
  '不少',
  '好几天',
  '好几次',
  '好一点',
  '快要',
  '快到',
  '快过期',
  '不用谢',
  '不客气的',
  '不知',
  '没事',
  '没关系',
  '不好意思',
  '无所谓',
  '不错过',
  '好友',
  '好奇',
  '好像是',
  '不是一般的',
  '足球',
  '足迹',
  '手足',
  '足够',
  '满足',
  '吊牌',
  '还好吗',
  '少女',
  '少年',
  '少量',
  '少许',
  '少数',
  '多多少少',
  '老少',
  '操作',
  '香港',
  '香菇',
  '香肠',
  '香菜',
  '香蕉',
  '香水',
  '香味',
  // "麻烦您/帮我…" is a polite request, not a complaint ("太麻烦了" still is).
  '麻烦帮',
  '麻烦您',
  '麻烦你',
  '麻烦给',
];

const zhLex = new Map<string, number>([...Object.entries(ZH_LEXICON), ...Object.entries(ZH_LEXICON_MORE), ...Object.entries(ZH_TROUBLE_NOUNS)]);
const ZH_FOLLOW = new Set(ZH_FOLLOWERS);
/** "没有想象中(的)", "不如预期": what follows falls short of expectations. */
const ZH_EXPECT_NEG = new RegExp(
  [
    '(?:没有|没|不是|不像|不如|不及|达不到)(?:想象|预期|期待|期望|宣传|图片|描述|说的)(?:中|里|上)?(?:的)?(?:那么|那样|这么)?$',
    // "没有以前好吃", "不如别家的好": compared with something else, and found worse.
    '(?:没有|没|不如|比不上|赶不上)(?:以前|之前|上次|原来|别家|别人家|别的|其他|另一家|那家|那个|外面|路边|实体店|专柜)[^，。！？,.!?]{0,6}$',
    '(?:不如|不及|比不上|赶不上)[^，。！？,.!?]{0,10}$',
    '(?:没有|没)[^，。！？,.!?]{1,8}(?:的|得|那么|这么)$',
  ].join('|'),
);
/** Clause patterns without an opinion word: long waits, items left out, coming back for more. */
const ZH_PATTERNS: ReadonlyArray<[RegExp, number]> = [
  [/等(?:了|待了?)(?:近|将近|快|足足|整整|差不多)?[一二两三四五六七八九十半几俩仨\d]+(?:个)?(?:多|半)?(?:个)?(?:小时|钟头|分钟|天|周|星期|月)/, -2],
  [/[一二两三四五六七八九十几俩仨\d]+(?:个)?(?:多|半)?(?:个)?(?:小时|钟头|分钟|天|周)(?:才|都没|还没|了还|的配送|送到)/, -2],
  [/(?<!刚)才(?:给我?)?(?:送到|送来|送过来|到货|到手|到(?!账)|发货|收到)/, -1.5],
  [/(?:说了|说好|注明了?|备注了?|要求|叮嘱|交代)[^，。！？]{0,10}[，,]?(?:还是|结果|却|可还是|可是还是|竟然)/, -2],
  [/(?:点|买|订|定|要)的(?:是)?[^，。！？]{1,12}[，、,]?(?:给我|结果)?(?:送|寄|发)(?:来)?的(?:是|却是)?|送成了|发成了/, -2],
  [/绝不(?:来|买|点|定|订|再)/, -3],
  [/(?:没有?|木有|不)(?:给|送|放|配|带)?(?:勺子|筷子|餐具|吸管|纸巾|赠品|说明书|配件)/, -1.5],
  [/没(?:见到|看到|吃到|找到)/, -1],
  [/不(?:会|想|敢)?再(?:来|买|点|定|订|吃|光顾|回购)|以后(?:还是)?不(?:点|买|来|定|订)了|再也不(?:来|买|点|定|订|吃)/, -3],
  [/(?:第[二三四五六七八九十几\d]+次|再次|每次都|一直在|经常)(?:买|点|来|回购|光顾|下单|购买)/, 1.5],
  [/(?:还会|还要|下次还|以后还|(?<![不没])会再)(?:再)?(?:来|买|点|回购|光顾)/, 2],
  [/推荐给|安利给|已推荐|推荐大家/, 2],
  [/(?:天天|每天都|几乎每天|隔三差五)(?:都)?(?:在)?(?:喝|吃|点|用|买|穿|戴)/, 1.5],
  [/说好的.{1,10}呢|说好的.{0,10}(?:没|不)/, -1.5],
  [/一[点丁]点?儿?.{0,4}都(?:没有|没)/, -1.5],
];
for (const w of ZH_NEUTRAL) zhLex.set(w, 0);
const ZH_MAX = Math.max(...[...zhLex.keys()].map((k) => k.length));
const ZH_NEG_SUFFIX = '(?:是|很|太|够|那么|这么|怎么|算|大|特别|非常|很是|让我|让人|令人|令我|使我|能|会|能够|可以|敢)';
const ZH_NEG_RE = new RegExp(`(?:${ZH_NEGATORS.join('|')})${ZH_NEG_SUFFIX}?${ZH_NEG_SUFFIX}?$`);
const ZH_MOD_RE = new RegExp(`(${ZH_MODIFIERS.map(([m]) => m).join('|')})(?:了|的|是)?$`);
const ZH_MOD = new Map(ZH_MODIFIERS);
const ZH_CONTRAST = /但是|不过|可是|然而|但|就是|只是|可惜/;
/** "好吃，就是慢了点": 就是/只是 add a reservation to a verdict rather than overturn it. */
const ZH_WEAK_CONTRAST = new Set(['就是', '只是']);
const ZH_DAMPENING_NEG = new Set(['不太', '不是很', '不怎么']);
/** Softeners that make a contrast clause a minor reservation (了点, 有点, 略, 稍微). */
const ZH_MILD = /了点|一点|有点|有些|稍|略|些许|点儿|了些|小小/;

function flip(v: number): number {
  return v > 0 ? -0.9 * v : -0.5 * v;
}

/** Inflectional base forms only ("regretted" → "regret"); derivations like helpful → help change meaning. */
function baseForms(w: string): string[] {
  const out: string[] = [];
  const undouble = (s: string) => (s.length > 2 && s[s.length - 1] === s[s.length - 2] ? s.slice(0, -1) : s);
  if (w.endsWith('ies') || w.endsWith('ied')) out.push(w.slice(0, -3) + 'y');
  if (w.endsWith('es')) out.push(w.slice(0, -2));
  if (w.endsWith('s') && !w.endsWith('ss')) out.push(w.slice(0, -1));
  if (w.endsWith('ed')) out.push(w.slice(0, -2), w.slice(0, -1), undouble(w.slice(0, -2)));
  if (w.endsWith('ing')) out.push(w.slice(0, -3), w.slice(0, -3) + 'e', undouble(w.slice(0, -3)));
  if (w.endsWith('er') || w.endsWith('est')) out.push(w.replace(/e?st$|er$/, ''), w.replace(/st$|r$/, ''));
  return out.filter((x) => x.length >= 3);
}
const enByLength = new Map<number, string[]>();
for (const k of Object.keys(EN_LEXICON)) {
  if (k.includes(' ') || k.length < 6) continue;
  const list = enByLength.get(k.length) ?? [];
  list.push(k);
  enByLength.set(k.length, list);
}
const enWordCache = new Map<string, number | undefined>();

/** Valence of one English word: exact entry, else its inflectional base, else a 1-edit typo of a long entry. */
function enWordValence(w: string): number | undefined {
  const exact = EN_LEXICON[w];
  if (exact !== undefined) return exact;
  if (enWordCache.has(w)) return enWordCache.get(w);
  let v: number | undefined;
  for (const b of baseForms(w)) {
    v = EN_LEXICON[b];
    if (v !== undefined) break;
  }
  if (v === undefined && w.length >= 6 && !STOPWORDS.has(w)) {
    for (const len of [w.length - 1, w.length, w.length + 1]) {
      for (const cand of enByLength.get(len) ?? []) {
        if (cand[0] === w[0] && editDistance(w, cand, 1) <= 1) {
          v = EN_LEXICON[cand];
          break;
        }
      }
      if (v !== undefined) break;
    }
  }
  if (enWordCache.size < 20_000) enWordCache.set(w, v);
  return v;
}

/** Scores the English part of a text. */
function scoreEn(text: string): number {
  const raw = normalize(text);
  const exp = expandContractions(raw);
  const clauses = exp.split(/[.;!?\n]+|,(?=\s*(?:but|however)\b)/);
  let total = 0;
  const contrastIdx = clauses.findIndex((c) => /\b(?:but|however)\b/.test(c));
  clauses.forEach((clause, ci) => {
    const toks = clause.match(/[a-z0-9+]+(?:-[a-z]+)?|,/g) ?? [];
    let sum = 0;
    let afterBut = false;
    let i = 0;
    while (i < toks.length) {
      const t = toks[i] as string;
      if (CONTRAST_EN.has(t)) {
        sum *= 0.5;
        afterBut = true;
        i++;
        continue;
      }
      let len = 0;
      let v = 0;
      for (let n = Math.min(EN_PHRASE_MAX, toks.length - i); n >= 1; n--) {
        const key = toks.slice(i, i + n).join(' ');
        const val = n === 1 ? enWordValence(key) : EN_LEXICON[key];
        if (val !== undefined) {
          len = n;
          v = val;
          break;
        }
      }
      if (len === 0) {
        i++;
        continue;
      }
      const isPhraseWithNeg = len > 1 && toks.slice(i, i + len).some((x) => EN_NEGATORS.has(x));
      let mod = 1;
      let negated = false;
      for (let j = i - 1; j >= 0 && j >= i - 4; j--) {
        const p = toks[j] as string;
        if (CONTRAST_EN.has(p) || p === ',') break;
        if (EN_NEGATORS.has(p) && !isPhraseWithNeg) {
          negated = toks[j + 1] !== 'only';
          break;
        }
        const m = EN_MODIFIERS[p];
        if (m !== undefined && j >= i - 2) mod *= m;
      }
      v *= mod;
      if (negated) v = flip(v);
      sum += afterBut ? 1.5 * v : v;
      i += len;
    }
    if (contrastIdx >= 0 && ci < contrastIdx) sum *= 0.5;
    total += sum;
  });
  // Questions: "is it good?" asks rather than praises.
  if (/\?\s*$/.test(raw) && total > 0 && !/!/.test(raw)) total *= 0.3;
  const bangs = Math.min(3, (raw.match(/!/g) ?? []).length);
  if (total !== 0) total += Math.sign(total) * 0.3 * bangs;
  const caps = (text.match(/\b[A-Z]{3,}\b/g) ?? []).length;
  if (caps > 0 && text !== text.toUpperCase()) total *= 1.2;
  return total;
}

/** Scores the Chinese part of a text. */
function scoreZh(text: string): number {
  // 快 before an amount means "almost" ("快两个小时了", "快五点才到"), not "fast".
  const norm = normalize(text).replace(/快(?=[一二两三四五六七八九十几半俩仨\d])/gu, '近');
  // A contrast in mid-clause ("好吃但是太慢") starts a new clause, so it is weighed as one.
  const split = norm.replace(/(?<=[^\s,.;!?~，。；！？、])(?=但是|不过|可是|然而|(?<!不)但(?!是|凡|愿))/gu, '，');
  const parts = split.split(/[,.;!?~，。；！？、\n]+/).filter((p) => p.trim() !== '');
  let total = 0;
  let contrastSeen = false;
  const partScores: number[] = [];
  const contrastAt: number[] = [];
  let contrastWord = '';
  parts.forEach((part, pi) => {
    // A clause that is only an acknowledgement ("好的", "好吧") carries no opinion.
    let clause = /^(?:好的|好吧|好滴|好嘞|好哒)$/.test(part.trim()) ? '' : part;
    const m = ZH_CONTRAST.exec(clause);
    if (m && m.index <= 1) {
      if (!contrastSeen) contrastWord = m[0];
      contrastSeen = true;
      contrastAt.push(pi);
      clause = clause.slice(m.index + m[0].length);
    }
    let sum = 0;
    let consumedTo = 0;
    let lastSign = 0;
    const chars = clause;
    let i = 0;
    while (i < chars.length) {
      let len = 0;
      let v = 0;
      for (let n = Math.min(ZH_MAX, chars.length - i); n >= 1; n--) {
        const val = zhLex.get(chars.slice(i, i + n));
        if (val !== undefined) {
          len = n;
          v = val;
          break;
        }
      }
      if (len === 0) {
        i++;
        continue;
      }
      if (v !== 0) {
        const word = chars.slice(i, i + len);
        // "掉电也快", "掉毛掉得厉害": speed/degree words side with the complaint before them.
        if (ZH_FOLLOW.has(word) && lastSign < 0) v = -Math.abs(v);
        const window = chars.slice(Math.max(consumedTo, i - 5), i);
        const neg = ZH_NEG_RE.exec(window);
        let mod = 1;
        const before = neg ? window.slice(0, neg.index) : window;
        const modMatch = ZH_MOD_RE.exec(neg ? before : window);
        if (modMatch) mod *= ZH_MOD.get(modMatch[1] as string) ?? 1;
        if (neg) {
          const negWord = ZH_NEGATORS.find((n) => neg[0].startsWith(n)) ?? '';
          v = flip(v) * (ZH_DAMPENING_NEG.has(negWord) ? 0.9 : 1);
          const inner = ZH_MOD_RE.exec(neg[0].slice(negWord.length));
          if (inner) mod *= ZH_MOD.get(inner[1] as string) ?? 1;
        } else if (v > 0 && ZH_EXPECT_NEG.test(chars.slice(Math.max(0, i - 10), i))) {
          v = -0.8 * v;
        }
        let c = v * mod;
        // "痘痘少了很多", "异味没了": a trouble that went away is good news.
        const relief = c < 0 && !neg ? ZH_RELIEF.exec(chars.slice(i + len)) : null;
        if (relief) {
          c = Math.abs(c) * 1.5;
          len += relief[0].length;
        }
        sum += c;
        lastSign = Math.sign(c);
      }
      i += len;
      consumedTo = i;
    }
    for (const [re, val] of ZH_PATTERNS) if (re.test(clause)) sum += val;
    const question = /[吗呢么]$/.test(clause) || /[?？]/.test(norm.slice(norm.indexOf(part) + part.length, norm.indexOf(part) + part.length + 1));
    if (question) sum = sum > 0 ? sum * 0.1 : sum * 0.6;
    partScores.push(sum);
  });
  const firstContrast = contrastAt[0] ?? -1;
  // "好吃，就是米饭少了点": a reservation softened by 有点/一点/略 after praise is a minor point,
  // not the verdict; a plain "但是" clause still outweighs what came before.
  const mild = contrastSeen && ZH_MILD.test(parts.slice(firstContrast).join('，'));
  const [beforeW, afterW] = mild ? [1, 0.75] : ZH_WEAK_CONTRAST.has(contrastWord) ? [1, 1] : [0.5, 1.5];
  partScores.forEach((s, pi) => {
    if (contrastSeen && pi < firstContrast) total += beforeW * s;
    else if (contrastSeen && pi >= firstContrast) total += afterW * s;
    else total += s;
  });
  const bangs = Math.min(3, (norm.match(/[!！]/g) ?? []).length);
  if (total !== 0) total += Math.sign(total) * 0.3 * bangs;
  return total;
}

const EMOJI: ReadonlyArray<[RegExp, number]> = [
  [/[:;]-?\)|\(:|😊|😀|😃|😄|😁|🙂|😍|🥰|👍|❤️|❤|💯|👏|🎉/gu, 1.5],
  [/:-?\(|\):|😞|😠|😡|🤬|😤|😢|😭|👎|💔|🙄|😒/gu, -1.5],
];

/**
 * Weight of the lexicon in the Chinese product of experts: a confident lexicon verdict (|tanh| → 1)
 * multiplies the odds of its side by e² ≈ 7 against the n-gram model's (and of neutral by e⁻²).
 */
const LEXICON_WEIGHT = 2;

/** A lexicon sum mapped into (-1, 1). */
function intensity(raw: number): number {
  return raw / Math.sqrt(raw * raw + 15);
}

/**
 * Sentiment of a message. English: the lexicon score with a neutral band. Chinese: a product of
 * experts of the lexicon (squashed score x = tanh(raw)) and the n-gram model's class probabilities
 * (sentiment-model.ts): label = argmax of log p(c) + 2x for positive, − 2x for negative and − 2|x|
 * for neutral. The lexicon settles what it is sure of; the model decides what it is not
 * (reviews that complain or praise without opinion words). Without the model: the lexicon alone.
 */
export function sentiment(text: string): SentimentResult {
  let raw = 0;
  if (/[a-z]/i.test(text)) raw += scoreEn(text);
  const zh = /[\u3400-\u9fff]/u.test(text);
  if (zh) raw += scoreZh(text);
  for (const [re, v] of EMOJI) raw += ((text.match(re) ?? []).length > 0 ? 1 : 0) * v;
  const rounded = Math.round(raw * 1e4) / 1e4;
  const p = zh ? modelSentiment(text) : undefined;
  if (p) {
    const x = LEXICON_WEIGHT * Math.tanh(raw);
    const s = { positive: Math.log(p.positive) + x, negative: Math.log(p.negative) - x, neutral: Math.log(p.neutral) - Math.abs(x) };
    const label: SentimentLabel = s.positive >= s.negative && s.positive >= s.neutral ? 'positive' : s.negative >= s.neutral ? 'negative' : 'neutral';
    const z = Math.exp(s.positive) + Math.exp(s.negative) + Math.exp(s.neutral);
    // The score keeps the lexicon's intensity ("非常差" below "差") next to the combined odds.
    const score = 0.5 * ((Math.exp(s.positive) - Math.exp(s.negative)) / z) + 0.5 * intensity(raw);
    return { label, score: Math.round(score * 1e4) / 1e4, raw: rounded };
  }
  const label: SentimentLabel = raw >= NEUTRAL_BAND ? 'positive' : raw <= -NEUTRAL_BAND ? 'negative' : 'neutral';
  return { label, score: Math.round(intensity(raw) * 1e4) / 1e4, raw: rounded };
}

export { TOPICS, type Topic };

const TOPIC_RULES: ReadonlyArray<[Exclude<Topic, 'other'>, RegExp]> = [
  [
    'delivery_speed',
    /快递|物流|发货|到货|送货|配送|派送|送到|收到货|几天才到|次日达|慢|运输|\b(?:deliver(?:y|ed|ies)?|shipping|shipped|ship(?:ment)?|courier|arriv(?:e|ed|al)|late|delay(?:ed)?|dispatch(?:ed)?|tracking|took (?:\d+|two|three|four|five|a) (?:days?|weeks?))\b/i,
  ],
  [
    'product_quality',
    /质量|做工|材质|面料|坏了|破损|故障|耐用|好用|难用|效果|味道|新鲜|掉色|起球|开胶|瑕疵|划痕|正品|假货|尺码|色差|\b(?:quality|broke(?:n)?|defect(?:ive)?|durable|sturdy|flimsy|works?|worked|stopped working|material|fabric|battery|sound|screen|fit|size|cheaply made|well made|faulty|damaged)\b/i,
  ],
  [
    'agent_attitude',
    /客服|态度|服务|回复|耐心|热情|不理|敷衍|专业|售后|\b(?:agent|staff|support|customer service|rude|polite|friendly|helpful|unhelpful|attitude|representative|respon(?:se|ded|sive)|ignored|service)\b/i,
  ],
  ['refund_process', /退款|退货|退钱|退回|换货|售后|\b(?:refund(?:ed|s)?|return(?:ed|s|ing)?|money back|exchange|chargeback|reimburse(?:ment)?)\b/i],
  [
    'price',
    /价格|价钱|贵|便宜|划算|实惠|性价比|降价|优惠|不值|值得|\b(?:price[ds]?|pricey|expensive|cheap(?:er)?|cost(?:s|ly)?|value|overpriced|worth|bargain|discount|deal)\b/i,
  ],
  ['packaging', /包装|盒子|纸箱|外箱|压扁|压坏|严实|\b(?:packag(?:e|ed|ing)|box(?:es)?|wrapp(?:ed|ing)|bubble wrap|packed|parcel was)\b/i],
  [
    'app_website',
    /app|网站|网页|页面|闪退|卡顿|界面|登录|小程序|系统|\b(?:app|website|site|web ?page|checkout|login|log in|interface|crash(?:es|ed)?|page|online store|bug(?:gy)?)\b/i,
  ],
];

/** Topics mentioned in a feedback comment (keyword rules, zh + en); ['other'] when none match. */
export function topics(text: string): Topic[] {
  const norm = normalize(text);
  const found = TOPIC_RULES.filter(([, re]) => re.test(norm)).map(([t]) => t);
  return found.length > 0 ? found : ['other'];
}

/** What makes a message "angry" rather than merely dissatisfied (anger() below). */
export interface AngerSignal {
  angry: boolean;
  /** The words or signs found (for the agent's hand-off summary). */
  markers: string[];
}

/**
 * Anger, threats and abuse aimed at the shop or the service. Dissatisfaction with a product
 * ("不喜欢", "质量不太好", "包装有点难看") is deliberately not here: that shopper wants a return
 * or an answer, not an escalation.
 */
const ANGER_ZH =
  /气死|气炸|火大|垃圾(?!袋|桶|分类|篓|箱)|无语|差劲|坑人|坑爹|黑店|骗人|骗子|骗钱|什么破|破玩意|搞什么|什么玩意|什么鬼|太过分|过分了|忍无可忍|受够了|滚开|滚蛋|给我滚|妈的|他妈|tmd|尼玛|有病|欺负人|耍我|忽悠|什么态度|态度太差|态度差|态度恶劣|没人管|没人理|不理人|爱理不理|敷衍|曝光你们|去曝光|找媒体|差评|退一赔三|要个说法|给个说法|讨个说法|欺诈|投诉|12315|消协|律师|起诉|报警/g;
const ANGER_EN =
  /\b(?:angry|furious|outraged|livid|ridiculous|unacceptable|disgusting|disgraceful|pathetic|worst|scam(?:mer)?s?|rip-?off|fraud|fed up|sick of|wtf|a joke|useless|incompetent|lawyer|sue|report you)\b/gi;
/** Chasing a late order or refund (催, 还没, 到底, 都三天了); repeated across the conversation it is anger. */
const URGE =
  /催|还没|怎么还|到底|究竟|都[一二两三四五六七八九十几好多\d]+(?:天|周|个星期|个月)了|等了[一二两三四五六七八九十几好多半\d]+(?:天|周|个星期|个月|小时)|还不(?:发|到|退|给|回)|\b(?:still (?:not|no|waiting|haven'?t)|yet again|again and again|how many times)\b/gi;
/** Saying outright that they asked before (催了好几次, 问了三遍). */
const REPEATED =
  /(?:催|问|说|找)了(?:好几|很多|多少|无数|多|[二两三四五六七八九十几\d]+)(?:次|遍|回)|又来催|再催|\b(?:asked|told you|written|contacted you) (?:\w+ )?(?:times|twice|again)\b/i;

/**
 * Whether a message (with the conversation's earlier shopper messages) shows anger, threats or
 * repeated chasing, as opposed to plain dissatisfaction. Shouting (!!, ？？？) counts only with
 * negative sentiment.
 */
export function anger(text: string, history: readonly string[] = []): AngerSignal {
  const norm = normalize(text);
  const markers = new Set<string>();
  for (const m of norm.match(ANGER_ZH) ?? []) markers.add(m);
  for (const m of norm.match(ANGER_EN) ?? []) markers.add(m.toLowerCase());
  const shout = /[!！]{2,}|[?？]{3,}/.test(norm) || (text.match(/\b[A-Z]{4,}\b/g) ?? []).length >= 2;
  if (shout && sentiment(text).label === 'negative') markers.add(/[!！]/.test(norm) ? '!!' : '???');
  const repeated = REPEATED.exec(norm);
  if (repeated) markers.add(repeated[0]);
  const urgesNow = (norm.match(URGE) ?? []).length;
  if (urgesNow > 0) {
    const urgesBefore = history.reduce((n, h) => n + ((normalize(h).match(URGE) ?? []).length > 0 ? 1 : 0), 0);
    if (urgesBefore > 0) markers.add('repeated chasing');
  }
  return { angry: markers.size > 0, markers: [...markers] };
}
