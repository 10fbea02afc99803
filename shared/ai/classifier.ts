/**
 * Offline intent/category classifier for customer messages (zh + en).
 *
 * A softmax regression over word, word-bigram, character-trigram (typo tolerance) and
 * Chinese character n-gram features predicts one of Bitext's 27 intents plus
 * product_info and other; the category follows from the intent. The weights live in
 * shared/ai/model/classifier.json, produced deterministically by scripts/train-classifier.ts.
 */
import { readFileSync } from 'node:fs';
import { type SentimentLabel, sentiment } from './sentiment.ts';
import { predictSoftmax, type SoftmaxModel } from './softmax.ts';
import { charNgrams, cjkRuns, detectLang, type Lang, normalize, stem, words } from './text.ts';

/** Intent → category. Bitext's 27 intents, plus Kefu's product_info (PRODUCT) and other (OTHER). */
export const INTENT_CATEGORY: Readonly<Record<string, string>> = {
  create_account: 'ACCOUNT',
  delete_account: 'ACCOUNT',
  edit_account: 'ACCOUNT',
  recover_password: 'ACCOUNT',
  registration_problems: 'ACCOUNT',
  switch_account: 'ACCOUNT',
  check_cancellation_fee: 'CANCELLATION_FEE',
  contact_customer_service: 'CONTACT',
  contact_human_agent: 'CONTACT',
  delivery_options: 'DELIVERY',
  delivery_period: 'DELIVERY',
  complaint: 'FEEDBACK',
  review: 'FEEDBACK',
  check_invoice: 'INVOICE',
  get_invoice: 'INVOICE',
  newsletter_subscription: 'NEWSLETTER',
  cancel_order: 'ORDER',
  change_order: 'ORDER',
  place_order: 'ORDER',
  track_order: 'ORDER',
  check_payment_methods: 'PAYMENT',
  payment_issue: 'PAYMENT',
  check_refund_policy: 'REFUND',
  get_refund: 'REFUND',
  track_refund: 'REFUND',
  change_shipping_address: 'SHIPPING_ADDRESS',
  set_up_shipping_address: 'SHIPPING_ADDRESS',
  product_info: 'PRODUCT',
  other: 'OTHER',
};

/** All intents the model can output, in model class order. */
export const INTENTS: readonly string[] = Object.keys(INTENT_CATEGORY);

import { CATEGORIES } from './categories.ts';

export { CATEGORIES };

/** Intents that always go to a human. */
export const HANDOFF_INTENTS: ReadonlySet<string> = new Set(['contact_human_agent', 'complaint']);

/** Result of classify(). */
export interface Classification {
  category: string;
  intent: string;
  handoff: boolean;
  sentiment: SentimentLabel;
  lang: Lang;
  /** Probability of the chosen intent (0..1). */
  confidence: number;
}

/** Serialised classifier: the softmax model plus provenance. */
export interface ClassifierModelFile {
  format: 'kefu-classifier';
  version: 1;
  trainedOn: string[];
  options: Record<string, unknown>;
  model: SoftmaxModel;
}

/** Feature extraction shared by training and inference, so both see exactly the same features. */
export function classifierFeatures(text: string): string[] {
  const norm = normalize(text);
  const feats = new Set<string>();
  const ws = words(norm);
  const stems = ws.map((w) => stem(w));
  for (const s of stems) feats.add(`w:${s}`);
  for (let i = 0; i + 1 < stems.length; i++) feats.add(`b:${stems[i]}_${stems[i + 1]}`);
  for (const w of ws) {
    if (w.length < 3 || /^\d+$/.test(w)) continue;
    for (const g of charNgrams(w, 3)) feats.add(`c:${g}`);
  }
  for (const run of cjkRuns(norm)) {
    const cs = Array.from(run);
    for (let i = 0; i < cs.length; i++) {
      feats.add(`z:${cs[i]}`);
      if (i + 1 < cs.length) feats.add(`z:${cs[i]}${cs[i + 1]}`);
      if (i + 2 < cs.length) feats.add(`z:${cs[i]}${cs[i + 1]}${cs[i + 2]}`);
    }
  }
  return [...feats];
}

const HUMAN_EN =
  /\b(?:human(?: being| agent| person| rep(?:resentative)?)?|real (?:person|human|agent|people)|live (?:agent|person|chat|operator|support)|(?:talk|speak|chat)(?:ing)? (?:to|with) (?:a |an |some )?(?:person|someone|somebody|agent|operator|representative|rep|manager|supervisor)|representative|operator)\b/;
const HUMAN_EN_NEG = /\b(?:not|no|don't|dont|never) (?:need |want )?(?:a |an |to )?(?:human|agent|person|representative|operator)/;
const HUMAN_ZH =
  /(?:转|轉|找|要|叫|接|换|換)(?:个|個)?(?:真人|人工|活人|客服人员|客服人員|工作人员|工作人員)|人工(?:客服|服务|服務|坐席|座席|对话|對話)|真人(?:客服|回答|回复|回覆|服务|服務)?|活人|人工(?!智能|智慧|合成|费|費)/;

/** A request verb in front of the human ("转人工", "找真人"), as opposed to asking about the service. */
const HUMAN_ZH_VERB = /(?:转|轉|找|要|叫|接|换|換|联系|聯繫)(?:个|個|一下)?(?:真人|人工|活人|客服)/;
/** Questions about when the human team works ("周末有人工客服吗", "人工客服几点下班"). */
const HUMAN_ZH_HOURS = /几点|時間|时间|周末|週末|周六|周日|晚上|夜里|节假日|節假日|假期|放假|上班|下班|营业|營業|什么时候|什麼時候/;

const HOURS_EN =
  /\b(?:what time|which hours|opening hours|business hours|office hours|when (?:are|is|do|does)|(?:at|on|over) (?:the )?weekends?|at night|on holidays?)\b/;
const REQUEST_EN = /\b(?:talk|speak|chat|connect|transfer|put me through|get me)\b/;

/**
 * True when the text asks when the human team works ("周末有人工客服吗", "what time do your agents
 * finish?") without asking to be put through: a question the help centre answers.
 */
export function asksAboutServiceHours(text: string): boolean {
  const norm = normalize(text);
  if (/[\u3400-\u9fff]/u.test(norm)) return HUMAN_ZH_HOURS.test(norm) && !HUMAN_ZH_VERB.test(norm);
  return HOURS_EN.test(norm) && !REQUEST_EN.test(norm);
}

/** True when the text explicitly asks for a human (any wording, zh or en); always triggers hand-off. */
export function explicitHumanRequest(text: string): boolean {
  const norm = normalize(text);
  if (HUMAN_ZH.test(norm)) return HUMAN_ZH_VERB.test(norm) || !HUMAN_ZH_HOURS.test(norm);
  if (HUMAN_EN_NEG.test(norm)) return false;
  return HUMAN_EN.test(norm);
}

let cached: ClassifierModelFile | undefined;

/** Loads the committed model once per process (warm Lambda containers reuse it). */
export function loadClassifierModel(): ClassifierModelFile {
  if (!cached) {
    const raw = readFileSync(new URL('./model/classifier.json', import.meta.url), 'utf8');
    setClassifierModel(JSON.parse(raw) as ClassifierModelFile);
  }
  return cached as ClassifierModelFile;
}

/** Installs a model explicitly (bundled deployments, tests, freshly trained weights). */
export function setClassifierModel(model: ClassifierModelFile): void {
  if (model.format !== 'kefu-classifier' || model.version !== 1) throw new Error('not a kefu classifier model');
  cached = model;
}

/** Below this intent probability (or with no known feature) the message is treated as OTHER. */
const MIN_CONFIDENCE = 0.15;
/**
 * A hand-off intent (human agent, complaint) hands off only above this probability: a weak
 * guess ("新人券有吗" → contact_human_agent at 0.29, from the character 人) should not. Bitext's
 * hand-off messages score ≥ 0.82, Kefu's Chinese training rows ≥ 0.64.
 */
export const HANDOFF_MIN_CONFIDENCE = 0.5;

/** Classifies one customer message: intent, category, hand-off flag, sentiment and language. */
export function classify(text: string, model: ClassifierModelFile = loadClassifierModel()): Classification {
  const lang = detectLang(text);
  const { probs, known } = predictSoftmax(model.model, classifierFeatures(text));
  let best = 0;
  for (let k = 1; k < probs.length; k++) if ((probs[k] as number) > (probs[best] as number)) best = k;
  let intent = model.model.classes[best] ?? 'other';
  const confidence = probs[best] ?? 0;
  if (known === 0 || confidence < MIN_CONFIDENCE) intent = 'other';
  // "周末有人工客服吗" asks about the service, it does not ask for a person now.
  if (intent === 'contact_human_agent' && asksAboutServiceHours(text)) intent = 'contact_customer_service';
  const human = explicitHumanRequest(text);
  const category = INTENT_CATEGORY[intent] ?? 'OTHER';
  return {
    category,
    intent,
    handoff: (HANDOFF_INTENTS.has(intent) && confidence >= HANDOFF_MIN_CONFIDENCE) || human,
    sentiment: sentiment(text).label,
    lang,
    confidence: Math.round(confidence * 1e4) / 1e4,
  };
}
