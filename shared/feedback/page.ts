/**
 * The small survey page behind a signed link (zh-CN or en): a form that posts the answers as JSON
 * to the same URL, a thank-you, or why the link no longer works. Every text from the survey is
 * HTML-escaped; the one inline script runs under a per-response CSP nonce.
 */
import { randomBytes } from 'node:crypto';
import type { AnswerValue, Question, SurveyInstance } from './model.ts';

export type Lang = 'zh-CN' | 'en';
export type PageState = 'form' | 'thanks' | 'expired' | 'invalid' | 'opted_out';

const T = {
  title: { 'zh-CN': '服务评价', en: 'Your feedback' },
  submit: { 'zh-CN': '提交', en: 'Submit' },
  thanks: { 'zh-CN': '感谢您的反馈！', en: 'Thank you for your feedback!' },
  editUntil: { 'zh-CN': '在此时间前您仍可修改：', en: 'You can change your answers until ' },
  expired: { 'zh-CN': '这个评价链接已过期。', en: 'This survey link has expired.' },
  invalid: { 'zh-CN': '这个评价链接无效。', en: 'This survey link is not valid.' },
  optOut: { 'zh-CN': '不再接收满意度调查', en: 'Don’t send me surveys any more' },
  optedOut: { 'zh-CN': '好的，我们不会再向您发送调查。', en: 'Done — we won’t send you surveys any more.' },
  failed: { 'zh-CN': '提交失败，请检查后重试。', en: 'Could not submit; please check your answers and try again.' },
  lowOnly: { 'zh-CN': '（仅在评分较低时填写）', en: '(only if you gave a low score)' },
  noscript: { 'zh-CN': '请启用 JavaScript 以提交评价。', en: 'Please enable JavaScript to submit the survey.' },
  other: { 'zh-CN': 'English', en: '中文' },
  scaleLow: {
    csat: { 'zh-CN': '非常不满意', en: 'Very unsatisfied' },
    ces: { 'zh-CN': '非常困难', en: 'Very hard' },
    nps: { 'zh-CN': '不可能', en: 'Not at all likely' },
  },
  scaleHigh: {
    csat: { 'zh-CN': '非常满意', en: 'Very satisfied' },
    ces: { 'zh-CN': '非常容易', en: 'Very easy' },
    nps: { 'zh-CN': '非常可能', en: 'Extremely likely' },
  },
} as const;

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function scale(q: Question, lang: Lang, current: AnswerValue | undefined): string {
  const kind = q.kind as 'csat' | 'ces' | 'nps';
  const [lo, hi] = kind === 'csat' ? [1, 5] : kind === 'ces' ? [1, 7] : [0, 10];
  const options: string[] = [];
  for (let v = lo; v <= hi; v++) {
    options.push(
      `<label class="pt"><input type="radio" name="${escapeHtml(q.id)}" value="${v}" data-kind="number"${current === v ? ' checked' : ''}${q.required ? ' required' : ''}><span>${v}</span></label>`,
    );
  }
  return `<div class="scale" role="radiogroup">${options.join('')}</div><div class="ends"><span>${T.scaleLow[kind][lang]}</span><span>${T.scaleHigh[kind][lang]}</span></div>`;
}

function question(q: Question, lang: Lang, answers: Readonly<Record<string, AnswerValue>>): string {
  const current = answers[q.id];
  const head = `<legend>${escapeHtml(q.text[lang])}${q.showIf ? ` <small>${T.lowOnly[lang]}</small>` : ''}</legend>`;
  const show = q.showIf ? ` data-show-question="${escapeHtml(q.showIf.question)}" data-show-at-most="${q.showIf.atMost}"` : '';
  let body: string;
  if (q.kind === 'text') {
    body = `<textarea name="${escapeHtml(q.id)}" maxlength="2000" rows="4" aria-label="${escapeHtml(q.text[lang])}">${typeof current === 'string' ? escapeHtml(current) : ''}</textarea>`;
  } else if (q.kind === 'choice') {
    const picked = new Set(Array.isArray(current) ? current : typeof current === 'string' ? [current] : []);
    body = (q.options ?? [])
      .map(
        (o) =>
          `<label class="opt"><input type="${q.multiple ? 'checkbox' : 'radio'}" name="${escapeHtml(q.id)}" value="${escapeHtml(o.id)}" data-kind="${q.multiple ? 'list' : 'string'}"${picked.has(o.id) ? ' checked' : ''}> ${escapeHtml(o.text[lang])}</label>`,
      )
      .join('');
  } else {
    body = scale(q, lang, current);
  }
  return `<fieldset${show}>${head}${body}</fieldset>`;
}

const SCRIPT = `
const form = document.getElementById('survey');
const status = document.getElementById('status');
function refresh() {
  for (const fs of form.querySelectorAll('fieldset[data-show-question]')) {
    const picked = form.querySelector('input[name="' + fs.dataset.showQuestion + '"]:checked');
    fs.hidden = !(picked && Number(picked.value) <= Number(fs.dataset.showAtMost));
  }
}
form.addEventListener('change', refresh);
refresh();
async function send(body) {
  const res = await fetch(location.href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.ok) location.reload(); else status.textContent = form.dataset.failed;
}
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const answers = {};
  for (const el of form.elements) {
    if (!el.name || el.closest('fieldset[hidden]')) continue;
    if (el.type === 'radio' || el.type === 'checkbox') {
      if (!el.checked) continue;
      if (el.dataset.kind === 'number') answers[el.name] = Number(el.value);
      else if (el.dataset.kind === 'list') (answers[el.name] = answers[el.name] || []).push(el.value);
      else answers[el.name] = el.value;
    } else if (el.tagName === 'TEXTAREA' && el.value.trim()) answers[el.name] = el.value;
  }
  send({ answers, lang: document.documentElement.lang });
});
document.getElementById('optout').addEventListener('click', () => send({ optOut: true }));
`;

const STYLE = `body{font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
fieldset{border:0;margin:0 0 1.5rem;padding:0}legend{font-weight:600;margin-bottom:.5rem}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}.pt input{position:absolute;opacity:0}.pt span{display:inline-block;min-width:2.5rem;padding:.5rem;text-align:center;border:1px solid #8c959f;border-radius:.375rem;cursor:pointer}
.pt input:checked+span{background:#0969da;color:#fff;border-color:#0969da}.pt input:focus-visible+span{outline:3px solid #54aeff}
.ends{display:flex;justify-content:space-between;font-size:.8rem;color:#57606a}.opt{display:block;margin:.25rem 0}
textarea{width:100%;box-sizing:border-box;font:inherit}button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;border:1px solid #0969da;background:#0969da;color:#fff;cursor:pointer}
button.link{background:none;color:#57606a;border:0;text-decoration:underline;padding:0;margin-top:1.5rem}nav{text-align:right}`;

/** A survey link page and the CSP header that lets exactly its own script run. */
export function renderSurveyPage(input: {
  state: PageState;
  lang: Lang;
  survey?: Pick<SurveyInstance, 'name' | 'questions'>;
  answers?: Readonly<Record<string, AnswerValue>>;
  editableUntil?: string;
  /** Same page in the other language. */
  otherLangHref: string;
}): { html: string; csp: string } {
  const { lang } = input;
  const nonce = randomBytes(16).toString('base64');
  const title = input.survey ? input.survey.name[lang] : T.title[lang];
  let main: string;
  if (input.state === 'form' && input.survey) {
    const edit = input.editableUntil
      ? `<p>${T.thanks[lang]} ${T.editUntil[lang]}<time datetime="${escapeHtml(input.editableUntil)}">${escapeHtml(input.editableUntil.replace('T', ' ').slice(0, 16))} UTC</time></p>`
      : '';
    main = `${edit}<form id="survey" data-failed="${escapeHtml(T.failed[lang])}" novalidate>${input.survey.questions.map((q) => question(q, lang, input.answers ?? {})).join('')}<button type="submit">${T.submit[lang]}</button></form><p id="status" role="status" aria-live="polite"></p><button id="optout" class="link" type="button">${T.optOut[lang]}</button><noscript>${T.noscript[lang]}</noscript><script nonce="${nonce}">${SCRIPT}</script>`;
  } else {
    const message = { thanks: T.thanks, expired: T.expired, invalid: T.invalid, opted_out: T.optedOut, form: T.invalid }[input.state][lang];
    main = `<p role="status">${message}</p>`;
  }
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head><body><nav><a href="${escapeHtml(input.otherLangHref)}" lang="${lang === 'en' ? 'zh-CN' : 'en'}">${T.other[lang]}</a></nav><main><h1>${escapeHtml(title)}</h1>${main}</main></body></html>`;
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
  return { html, csp };
}
