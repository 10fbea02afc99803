/**
 * Guards of the LLM bot, as pure functions: a local token estimate for providers that report no
 * usage, the link rules and the stream filter that applies them while text is still arriving, the
 * output check (prompt leaks, promises no tool backed), the cap on the model's priority hint and
 * the provider's share of the function's time. `shared/bot/llm.ts` wires them into a turn.
 */
import type { Handoff } from '#shared/bot/responder.ts';

type Priority = Handoff['priority'];

/** CJK ideographs, kana, hangul and CJK/full-width punctuation: about one token each. */
const CJK_CHAR = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/g;

/** Tokens of a text when the provider reports none: CJK characters one each, other text one per four characters. */
export function estimateTokens(text: string): number {
  const cjk = text.match(CJK_CHAR)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
}

/** Whitespace and CJK/full-width punctuation: where a word, a URL or an amount ends. */
const BREAK = /[\s\u3000-\u303f\uff00-\uffef]/;
const BARE_URL = /\bhttps?:\/\/[^\s()<>"'\u3000-\u303f\uff00-\uffef]+/gi;
const SCRIPT_SCHEME = /\b(?:javascript|vbscript)\s*:|\bdata:(?=[\w.+-]+\/)/gi;
const CITATION = /\s*\[article:[\w-]+\]/g;

/** Removes the model's `[article:ID]` citation markers (the message cites articles in `meta`). */
export function stripCitations(text: string): string {
  return text.replace(CITATION, '');
}

/** Removes links and images to hosts outside the allow-list (markdown and bare URLs) and script schemes. */
export function restrictLinks(text: string, allowedHosts: string[]): string {
  const allowed = (url: string) => {
    // A path on the shop's own site; `//host` and `/\host` are other sites to a browser.
    if (url.startsWith('/')) return !url.startsWith('//') && !url.startsWith('/\\');
    try {
      const parsed = new URL(url);
      return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && allowedHosts.includes(parsed.hostname);
    } catch {
      return false;
    }
  };
  return text
    .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (m, alt: string, url: string) => (allowed(url) ? m : alt))
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (m, label: string, url: string) => (allowed(url) ? m : label))
    .replace(BARE_URL, (url) => (allowed(url) ? url : '[link removed]'))
    .replace(SCRIPT_SCHEME, '[link removed]');
}

/**
 * Where the settled part of streamed text ends: before an unfinished markdown link or image, before
 * the trailing run of text that may still grow into a URL or scheme (a word, a URL, a link), and
 * before a trailing number whose currency may follow.
 */
function safeCut(text: string): number {
  let cut = text.length;
  const links: [number, number][] = [];
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) {
    const start = i > 0 && text[i - 1] === '!' ? i - 1 : i;
    const close = text.indexOf(']', i);
    const open = close === -1 || close === text.length - 1 || (text[close + 1] === '(' && text.indexOf(')', close + 2) === -1);
    if (open) {
      cut = start;
      break;
    }
    if (text[close + 1] !== '(') continue;
    const end = text.indexOf(')', close + 2) + 1;
    links.push([start, end]);
    i = end - 1;
  }
  if (cut === text.length) {
    while (cut > 0) {
      const link = links.find(([s, e]) => s < cut && cut <= e);
      if (link) cut = link[0];
      else if (BREAK.test(text[cut - 1]!)) break;
      else cut--;
    }
  }
  const number = /\d[\d,.]*%?[\s\u3000-\u303f\uff00-\uffef]*$/.exec(text.slice(0, cut));
  return number ? number.index : cut;
}

export interface StreamFilter {
  /** Takes the next delta; returns the cleaned text that may be shown now ('' while holding back). */
  push(delta: string): string;
  /** The stream (or one model round) ended: releases what was held back, cleaned. */
  end(): string;
  /** The check failed once: nothing more is shown for this stream. */
  readonly blocked: boolean;
}

/**
 * The final message's rules applied to the stream: spans that could still become unsafe are held
 * until they can be judged, then shown cleaned; once `isSafe` rejects the text shown so far plus
 * the next piece, the stream stops for good (the final message then replaces it).
 */
export function streamFilter(allowedHosts: string[], isSafe: (textSoFar: string) => boolean = () => true): StreamFilter {
  let pending = '';
  let shown = '';
  let blocked = false;
  const release = (raw: string): string => {
    if (blocked || !raw) return '';
    const clean = restrictLinks(stripCitations(raw), allowedHosts);
    if (!isSafe(shown + clean)) {
      blocked = true;
      return '';
    }
    shown += clean;
    return clean;
  };
  return {
    push(delta) {
      pending += delta;
      const cut = safeCut(pending);
      const out = release(pending.slice(0, cut));
      pending = pending.slice(cut);
      return out;
    },
    end() {
      const out = release(pending);
      pending = '';
      return out;
    },
    get blocked() {
      return blocked;
    },
  };
}

/** Why the output check stopped a reply. */
export type OutputProblem = 'prompt_leak' | 'unbacked_promise';

export interface OutputContext {
  /** The rules message the model was given (fragments of it must not reach the shopper). */
  systemPrompt: string;
  /** What tools returned in this turn: the only source of amounts and refunds the bot may state. */
  toolResults: string[];
}

/** Words only a relayed prompt uses (not "system message" or 系统提示 alone: shops say those about their own apps). */
const LEAK_MARKERS = /kb_article|tool_result|knowledge base excerpts|\bsystem (?:prompt|instructions)\b|我的系统提示|系统提示词|提示词|系统指令|我的指令/i;
const LEAK_WORDS = 6;
const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;
const AMOUNT = new RegExp(
  String.raw`(?:[$¥￥€£]|\b(?:US\$|USD|CNY|RMB|EUR|HKD)\s?)\s?(${NUMBER})|(${NUMBER})\s?(?:元|块钱|块|美元|人民币|欧元|港币|(?:yuan|rmb|cny|usd|eur|hkd|dollars?|euros?)\b)`,
  'gi',
);
const REMEDY =
  /\b(?:refund\w*|reimburs\w*|compensat\w*|money back|store credit|vouchers?|coupons?|discounts?|price match\w*)\b|退款|退钱|退还|全额退|赔偿|补偿|赔付|返现|红包|优惠券|代金券|折扣|差价/i;
const COMMITMENT =
  /\b(?:we|i)(?:'ll|’ll|'ve|’ve|\s+(?:will|can|shall|would|am going to|are going to|have|already))\b|\byou(?:'ll|’ll|\s+will)\s+(?:get|receive|be)\b|\b(?:guarantee\w*|promise\w*|entitled|approved)\b|\bfull\b|\d\s?%|我们?(?:会|将|可以|能|马上|立即|立刻|已经?|给|为|帮)|给您|为您|帮您|保证|承诺|一定|可以获得|将获得|全额|百分之/i;

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

function leaksPrompt(text: string, systemPrompt: string): boolean {
  if (LEAK_MARKERS.test(text)) return true;
  const prompt = words(systemPrompt);
  const grams = new Set<string>();
  for (let i = 0; i + LEAK_WORDS <= prompt.length; i++) grams.add(prompt.slice(i, i + LEAK_WORDS).join(' '));
  const said = words(text);
  for (let i = 0; i + LEAK_WORDS <= said.length; i++) if (grams.has(said.slice(i, i + LEAK_WORDS).join(' '))) return true;
  return false;
}

function promisesUnbacked(text: string, toolResults: string[]): boolean {
  const backed = new Set((toolResults.join(' ').match(/\d+(?:\.\d+)?/g) ?? []).map(Number));
  for (const m of text.matchAll(AMOUNT)) {
    if (!backed.has(Number((m[1] ?? m[2])!.replace(/,/g, '')))) return true;
  }
  if (toolResults.some((r) => REMEDY.test(r))) return false;
  return text.split(/[。！？!?\n；;]|\.(?=\s|$)/).some((sentence) => REMEDY.test(sentence) && COMMITMENT.test(sentence));
}

/**
 * What the model says, checked before the shopper sees it: fragments of the system prompt, and
 * refunds, compensation or amounts that no tool returned in this turn (zh and en). Undefined when fine.
 */
export function checkOutput(text: string, ctx: OutputContext): OutputProblem | undefined {
  if (leaksPrompt(text, ctx.systemPrompt)) return 'prompt_leak';
  if (promisesUnbacked(text, ctx.toolResults)) return 'unbacked_promise';
  return undefined;
}

const PRIORITY_ORDER: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

/** The higher of two priorities. */
export function maxPriority(a: Priority, b: Priority): Priority {
  return PRIORITY_ORDER.indexOf(a) >= PRIORITY_ORDER.indexOf(b) ? a : b;
}

/**
 * A hand-off priority from the model's hint: never below what the rules say, at most one step
 * above, and 'urgent' only when the rules say so.
 */
export function capModelPriority(hint: unknown, rules: Priority): Priority {
  const floor = PRIORITY_ORDER.indexOf(rules);
  const wanted = PRIORITY_ORDER.indexOf(hint as Priority);
  if (wanted === -1) return rules;
  const ceiling = rules === 'urgent' ? floor : Math.min(floor + 1, PRIORITY_ORDER.indexOf('high'));
  return PRIORITY_ORDER[Math.max(floor, Math.min(wanted, ceiling))]!;
}

/**
 * Provider time per turn: every attempt and tool round shares at most half of the time the function
 * has left (and leaves at least `minReserveMs`), so an apology and a hand-off still fit; a retry
 * starts only with `minAttemptMs` left.
 */
export const PROVIDER_TIME = { share: 0.5, minReserveMs: 2000, minAttemptMs: 500, maxAttempts: 2 };

/** The provider's time for this turn (`totalMs` 0: too little time to call it at all) and per attempt. */
export function providerBudget(timeLeftMs: number, attemptTimeoutMs: number): { totalMs: number; attemptMs: number } {
  const totalMs = Math.floor(Math.min(timeLeftMs * PROVIDER_TIME.share, timeLeftMs - PROVIDER_TIME.minReserveMs));
  if (!(totalMs >= PROVIDER_TIME.minAttemptMs)) return { totalMs: 0, attemptMs: 0 };
  return { totalMs, attemptMs: Math.min(attemptTimeoutMs, totalMs) };
}
