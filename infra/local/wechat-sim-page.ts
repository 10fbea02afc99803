/**
 * The shopper's phone of the local WeChat platform (wechat-sim.ts), at `/local-wechat/` of the
 * local gateway: a chat screen where a person types as a WeChat customer of the shop's
 * customer-service account and sees what Kefu sent back with `kf/send_msg` (the bot's answers,
 * then the agents'). Chinese first (`?lang=en` for English); `?user=` picks the customer
 * (external_userid), else the browser keeps one. A side handler of the local gateway; local only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WechatSim } from './wechat-sim.ts';

export const WECHAT_SIM_PATH = '/local-wechat';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";
const USER = /^[A-Za-z0-9_-]{1,64}$/;

const HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>本地微信客服模拟器</title>
<link rel="stylesheet" href="${WECHAT_SIM_PATH}/phone.css">
</head>
<body>
<main class="phone">
  <header class="bar">
    <h1 id="account"></h1>
    <p class="who"><span id="who"></span> <button type="button" id="switch" class="link"></button> <a id="lang" class="link"></a></p>
  </header>
  <ol id="chat" class="chat" aria-live="polite"></ol>
  <p id="status" class="status" role="status"></p>
  <form id="composer" class="composer">
    <label for="text" class="sr" id="text-label"></label>
    <input id="text" autocomplete="off" maxlength="2000" required>
    <button type="submit" id="send"></button>
  </form>
  <details class="log"><summary id="log-title"></summary><ol id="log"></ol></details>
</main>
<script src="${WECHAT_SIM_PATH}/phone.js"></script>
</body>
</html>`;

const CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;background:#d9d9d9}
.phone{max-width:26rem;min-height:100vh;margin:0 auto;background:#ededed;display:flex;flex-direction:column}
.bar{background:#ededed;border-bottom:1px solid #d6d6d6;padding:.6rem .9rem;text-align:center}
.bar h1{font-size:1.05rem;margin:0}
.who{margin:.2rem 0 0;font-size:.8rem;color:#555}
.link{background:none;border:0;color:#576b95;cursor:pointer;font:inherit;padding:0 .2rem;text-decoration:none}
.chat{list-style:none;margin:0;padding:.8rem;flex:1;overflow-y:auto}
.msg{display:flex;flex-direction:column;margin:.5rem 0}
.msg.customer{align-items:flex-end}
.msg.kf{align-items:flex-start}
.bubble{max-width:80%;padding:.5rem .7rem;border-radius:6px;white-space:pre-wrap;word-break:break-word}
.customer .bubble{background:#95ec69}
.kf .bubble{background:#fff}
.msg time{font-size:.7rem;color:#999;margin-top:.15rem}
.status{min-height:1.2rem;margin:0 .9rem;font-size:.8rem;color:#a33}
.composer{display:flex;gap:.5rem;padding:.6rem;background:#f7f7f7;border-top:1px solid #d6d6d6}
.composer input{flex:1;font-size:16px;padding:.5rem;border:1px solid #ccc;border-radius:4px}
.composer button{font-size:16px;background:#07c160;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem}
.composer button:disabled{opacity:.6}
.log{font-size:.75rem;color:#555;padding:.4rem .9rem 1rem}
.log ol{padding-left:1.2rem;margin:.3rem 0}
.log .bad{color:#a33}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}`;

const JS = `(() => {
  const TEXT = {
    zh: { title: '本地微信客服模拟器', you: '你是', other: '换个顾客', lang: 'English', label: '消息', send: '发送', log: '平台日志', empty: '给客服发条消息吧，例如“怎么退货？”或“转人工”。', failed: '没有发出去：', noAnswer: '消息已发出，但 Kefu 没有应答回调（平台会重试）。', customer: '微信用户' },
    en: { title: 'Local WeChat customer service simulator', you: 'You are', other: 'Another customer', lang: '中文', label: 'Message', send: 'Send', log: 'Platform log', empty: 'Write to the shop, e.g. “How do I return an item?” or “转人工” for a person.', failed: 'Not sent: ', noAnswer: 'Sent, but Kefu did not answer the callback (the platform tries again).', customer: 'WeChat user' },
  };
  const params = new URLSearchParams(location.search);
  const lang = params.get('lang') === 'en' ? 'en' : 'zh';
  const t = TEXT[lang];
  const KEY = 'kefu:local-wechat:user';
  const fresh = () => 'wm' + Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  const valid = (u) => typeof u === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(u);
  let user = params.get('user');
  if (!valid(user)) user = localStorage.getItem(KEY);
  if (!valid(user)) user = fresh();
  localStorage.setItem(KEY, user);
  const $ = (id) => document.getElementById(id);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.title = t.title;
  $('who').textContent = t.you + ' ' + t.customer + ' ' + user.slice(-6);
  $('switch').textContent = t.other;
  const other = new URLSearchParams(params);
  if (lang === 'en') other.delete('lang'); else other.set('lang', 'en');
  $('lang').textContent = t.lang;
  $('lang').href = '?' + other.toString();
  $('text-label').textContent = t.label;
  $('text').placeholder = t.label;
  $('send').textContent = t.send;
  $('log-title').textContent = t.log;
  const time = (iso) => new Date(iso).toLocaleTimeString(lang === 'en' ? 'en' : 'zh-CN', { hour: '2-digit', minute: '2-digit' });
  let shown = '';
  const render = (data) => {
    $('account').textContent = data.account;
    const key = JSON.stringify([data.messages.length, data.log.length]);
    if (key === shown) return;
    shown = key;
    const chat = $('chat');
    chat.replaceChildren();
    if (!data.messages.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = t.empty;
      chat.append(li);
    }
    for (const m of data.messages) {
      const li = document.createElement('li');
      li.className = 'msg ' + m.from;
      const bubble = document.createElement('span');
      bubble.className = 'bubble';
      bubble.textContent = m.text;
      const at = document.createElement('time');
      at.dateTime = m.at;
      at.textContent = time(m.at);
      li.append(bubble, at);
      chat.append(li);
    }
    chat.scrollTop = chat.scrollHeight;
    $('log').replaceChildren(...data.log.slice(-30).map((e) => {
      const li = document.createElement('li');
      li.textContent = time(e.at) + ' ' + e.what;
      if (!e.ok) li.className = 'bad';
      return li;
    }));
  };
  const load = async () => {
    try {
      const res = await fetch('${WECHAT_SIM_PATH}/api/thread?user=' + encodeURIComponent(user), { cache: 'no-store' });
      if (res.ok) render(await res.json());
    } catch {}
  };
  const loop = async () => {
    await load();
    setTimeout(loop, 700);
  };
  $('switch').addEventListener('click', () => {
    user = fresh();
    localStorage.setItem(KEY, user);
    params.delete('user');
    location.search = params.toString();
  });
  $('composer').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('text');
    const text = input.value.trim();
    if (!text) return;
    $('send').disabled = true;
    $('status').textContent = '';
    try {
      const res = await fetch('${WECHAT_SIM_PATH}/api/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) $('status').textContent = t.failed + (body.message || res.status);
      else {
        input.value = '';
        if (body.callback !== 200) $('status').textContent = t.noAnswer;
      }
    } catch (err) {
      $('status').textContent = t.failed + err.message;
    } finally {
      $('send').disabled = false;
      input.focus();
      void load();
    }
  });
  void loop();
})();
`;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body));

/** The phone pages and their small API, as a local gateway side handler (true when it answered). */
export function wechatSimPages(sim: WechatSim): (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean> {
  return async (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname;
    if (path !== WECHAT_SIM_PATH && !path.startsWith(`${WECHAT_SIM_PATH}/`)) return false;
    const rest = path.slice(WECHAT_SIM_PATH.length);
    if (req.method === 'GET' && (rest === '' || rest === '/')) send(res, 200, 'text/html', HTML);
    else if (req.method === 'GET' && rest === '/phone.css') send(res, 200, 'text/css', CSS);
    else if (req.method === 'GET' && rest === '/phone.js') send(res, 200, 'text/javascript', JS);
    else if (req.method === 'GET' && rest === '/api/thread') {
      const user = url.searchParams.get('user') ?? '';
      if (!USER.test(user)) json(res, 400, { message: 'user: 1–64 letters, digits, _ or - / user 应为 1–64 个字母、数字、_ 或 -' });
      else json(res, 200, { account: sim.settings.accountName, user, messages: sim.thread(user), log: sim.log() });
    } else if (req.method === 'POST' && rest === '/api/send') {
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        json(res, 415, { message: '请求内容应为 JSON / the body must be JSON' });
        return true;
      }
      let input: { user?: unknown; text?: unknown };
      try {
        input = JSON.parse(body.toString('utf8')) as typeof input;
      } catch {
        input = {};
      }
      const text = typeof input.text === 'string' ? input.text.trim() : '';
      if (typeof input.user !== 'string' || !USER.test(input.user) || !text || text.length > 2000) {
        json(res, 400, { message: '需要 user 和 1–2000 字的 text / user and a text of 1–2000 characters are required' });
      } else json(res, 200, await sim.customerSays(input.user, text));
    } else send(res, 404, 'text/plain', '没有这个页面 / Not found');
    return true;
  };
}
