/**
 * Offline sentiment (positive / neutral / negative) for Chinese and English customer text,
 * plus keyword topics for feedback comments.
 *
 * Method: lexicon scoring in the style of VADER (Hutto & Gilbert 2014): each lexicon hit
 * contributes its valence, scaled by preceding intensifiers/dampeners, flipped by a nearby
 * negator ("not good", "不太满意"), down-weighted before and up-weighted after a contrast
 * ("but", "但是"), damped inside questions, and boosted by exclamation marks.
 */
import { editDistance, expandContractions, normalize, STOPWORDS } from './text.ts';
import { EN_LEXICON, EN_MODIFIERS, EN_NEGATORS, ZH_LEXICON, ZH_MODIFIERS, ZH_NEGATORS } from './sentiment-lexicon.ts';

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
const EN_FILLER = new Set(['a', 'an', 'the', 'be', 'been', 'is', 'are', 'was', 'were', 'that', 'very', 'so', 'too', 'really', 'at', 'all', 'it', 'this', 'as']);

/** Neutral senses that must win the longest match over a sentiment character (快递 is not 快). */
const ZH_NEUTRAL = [
  '快递', '快点', '尽快', '加快', '赶快', '好几', '好像', '只好', '好多', '差不多', '出差', '假期', '放假', '请假',
  '拖鞋', '慢慢', '没想到', '不管', '不知道', '不用', '不然', '无论', '不一定', '好的', '要不要', '是不是', '能不能',
  '可不可以', '有没有', '好不好', '问一下', '请问', '值班', '香港', '一般来说', '不断', '不久',
];

const zhLex = new Map<string, number>(Object.entries(ZH_LEXICON));
for (const w of ZH_NEUTRAL) zhLex.set(w, 0);
const ZH_MAX = Math.max(...[...zhLex.keys()].map((k) => k.length));
const ZH_NEG_RE = new RegExp(`(?:${ZH_NEGATORS.join('|')})(?:是|很|太|够|那么|这么|怎么|算|大|特别|非常|很是|让我|让人|令人|令我|使我)?$`);
const ZH_MOD_RE = new RegExp(`(${ZH_MODIFIERS.map(([m]) => m).join('|')})(?:了|的|是)?$`);
const ZH_MOD = new Map(ZH_MODIFIERS);
const ZH_CONTRAST = /但是|不过|可是|然而|但|就是/;
const ZH_DAMPENING_NEG = new Set(['不太', '不是很', '不怎么']);

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
  const norm = normalize(text);
  const parts = norm.split(/[,.;!?~，。；！？、\n]+/).filter((p) => p.trim() !== '');
  let total = 0;
  let contrastSeen = false;
  const partScores: number[] = [];
  const contrastAt: number[] = [];
  parts.forEach((part, pi) => {
    let clause = part;
    const m = ZH_CONTRAST.exec(clause);
    if (m && m.index <= 1) {
      contrastSeen = true;
      contrastAt.push(pi);
      clause = clause.slice(m.index + m[0].length);
    }
    let sum = 0;
    let consumedTo = 0;
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
        }
        sum += v * mod;
      }
      i += len;
      consumedTo = i;
    }
    const question = /[吗呢么]$/.test(clause) || /[?？]/.test(norm.slice(norm.indexOf(part) + part.length, norm.indexOf(part) + part.length + 1));
    if (question) sum = sum > 0 ? sum * 0.1 : sum * 0.6;
    partScores.push(sum);
  });
  const firstContrast = contrastAt[0] ?? -1;
  partScores.forEach((s, pi) => {
    if (contrastSeen && pi < firstContrast) total += 0.5 * s;
    else if (contrastSeen && pi >= firstContrast) total += 1.5 * s;
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

/** Lexicon score of a message (zh and en parts), mapped to a label with a neutral band. */
export function sentiment(text: string): SentimentResult {
  let raw = 0;
  if (/[a-z]/i.test(text)) raw += scoreEn(text);
  if (/[\u3400-\u9fff]/u.test(text)) raw += scoreZh(text);
  for (const [re, v] of EMOJI) raw += ((text.match(re) ?? []).length > 0 ? 1 : 0) * v;
  const label: SentimentLabel = raw >= NEUTRAL_BAND ? 'positive' : raw <= -NEUTRAL_BAND ? 'negative' : 'neutral';
  return { label, score: Math.round((raw / Math.sqrt(raw * raw + 15)) * 1e4) / 1e4, raw: Math.round(raw * 1e4) / 1e4 };
}

/** Feedback topics Kefu reports on. */
export const TOPICS = ['delivery_speed', 'product_quality', 'agent_attitude', 'refund_process', 'price', 'packaging', 'app_website', 'other'] as const;

/** One feedback topic. */
export type Topic = (typeof TOPICS)[number];

const TOPIC_RULES: ReadonlyArray<[Exclude<Topic, 'other'>, RegExp]> = [
  ['delivery_speed', /快递|物流|发货|到货|送货|配送|派送|送到|收到货|几天才到|次日达|慢|运输|\b(?:deliver(?:y|ed|ies)?|shipping|shipped|ship(?:ment)?|courier|arriv(?:e|ed|al)|late|delay(?:ed)?|dispatch(?:ed)?|tracking|took (?:\d+|two|three|four|five|a) (?:days?|weeks?))\b/i],
  ['product_quality', /质量|做工|材质|面料|坏了|破损|故障|耐用|好用|难用|效果|味道|新鲜|掉色|起球|开胶|瑕疵|划痕|正品|假货|尺码|色差|\b(?:quality|broke(?:n)?|defect(?:ive)?|durable|sturdy|flimsy|works?|worked|stopped working|material|fabric|battery|sound|screen|fit|size|cheaply made|well made|faulty|damaged)\b/i],
  ['agent_attitude', /客服|态度|服务|回复|耐心|热情|不理|敷衍|专业|售后|\b(?:agent|staff|support|customer service|rude|polite|friendly|helpful|unhelpful|attitude|representative|respon(?:se|ded|sive)|ignored|service)\b/i],
  ['refund_process', /退款|退货|退钱|退回|换货|售后|\b(?:refund(?:ed|s)?|return(?:ed|s|ing)?|money back|exchange|chargeback|reimburse(?:ment)?)\b/i],
  ['price', /价格|价钱|贵|便宜|划算|实惠|性价比|降价|优惠|不值|值得|\b(?:price[ds]?|pricey|expensive|cheap(?:er)?|cost(?:s|ly)?|value|overpriced|worth|bargain|discount|deal)\b/i],
  ['packaging', /包装|盒子|纸箱|外箱|压扁|压坏|严实|\b(?:packag(?:e|ed|ing)|box(?:es)?|wrapp(?:ed|ing)|bubble wrap|packed|parcel was)\b/i],
  ['app_website', /app|网站|网页|页面|闪退|卡顿|界面|登录|小程序|系统|\b(?:app|website|site|web ?page|checkout|login|log in|interface|crash(?:es|ed)?|page|online store|bug(?:gy)?)\b/i],
];

/** Topics mentioned in a feedback comment (keyword rules, zh + en); ['other'] when none match. */
export function topics(text: string): Topic[] {
  const norm = normalize(text);
  const found = TOPIC_RULES.filter(([, re]) => re.test(norm)).map(([t]) => t);
  return found.length > 0 ? found : ['other'];
}
