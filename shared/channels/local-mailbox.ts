/**
 * The local stack's side of its SMTP server: the mailbox pages (`/local-mail/`: the list, one
 * message with its headers, text and HTML, and its raw source) and the relay that hands mail for
 * the shop's support address to `POST /email/inbound`, signed as the shop's backend would sign it.
 * Local only (infra/local/stack.ts wires it); nothing here runs in AWS.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { hmacHex } from '#shared/auth/hmac.ts';
import { keys } from '#shared/store/keys.ts';
import type { CapturedMail, SmtpSink } from './smtp-sink.ts';

export const MAILBOX_PATH = '/local-mail';

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'";

function page(res: ServerResponse, title: string, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' });
  res.end(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
      '<style>body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse;width:100%}' +
      'td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f6f6f6;padding:.75rem}' +
      'iframe{width:100%;height:24rem;border:1px solid #ddd}.mono{font-family:ui-monospace,monospace;font-size:13px}</style></head>' +
      `<body>${body}</body></html>`,
  );
}

async function summary(mail: CapturedMail) {
  const parsed = await simpleParser(mail.raw, { skipHtmlToText: true, skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  return { parsed, subject: parsed.subject ?? '', messageId: parsed.messageId ?? '' };
}

async function listPage(res: ServerResponse, sink: SmtpSink): Promise<void> {
  const rows: string[] = [];
  for (const mail of [...sink.messages()].reverse()) {
    const { subject } = await summary(mail);
    rows.push(
      `<tr><td class="mono">${esc(mail.receivedAt)}</td><td class="mono">${esc(mail.envelope.to.join(', '))}</td>` +
        `<td><a href="${MAILBOX_PATH}/${mail.id}">${esc(subject || '(无主题 / no subject)')}</a></td></tr>`,
    );
  }
  page(
    res,
    '本地邮箱 / Local mailbox',
    `<h1>本地邮箱 / Local mailbox</h1><p>Kefu 发出的邮件（本地 SMTP 127.0.0.1:${sink.port}），最新的在前。/ Mail Kefu sent to the local SMTP server, newest first.</p>` +
      `<table><thead><tr><th>收到 / Received</th><th>收件人 / To</th><th>主题 / Subject</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="3">还没有邮件 / No mail yet</td></tr>'}</tbody></table>`,
  );
}

async function messagePage(res: ServerResponse, mail: CapturedMail): Promise<void> {
  const { parsed, subject } = await summary(mail);
  const header = (label: string, name: string) => {
    const value = parsed.headers.get(name);
    const text = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : value ? JSON.stringify(value) : '';
    return text ? `<tr><th>${label}</th><td class="mono">${esc(text)}</td></tr>` : '';
  };
  const html = typeof parsed.html === 'string' ? `<h2>HTML</h2><iframe sandbox="" title="HTML" srcdoc="${esc(parsed.html)}"></iframe>` : '';
  page(
    res,
    subject,
    `<p><a href="${MAILBOX_PATH}/">← 本地邮箱 / Local mailbox</a> · <a href="${MAILBOX_PATH}/${mail.id}.eml">原始邮件 / Raw source</a></p>` +
      `<h1>${esc(subject || '(无主题 / no subject)')}</h1><table>` +
      `<tr><th>信封 / Envelope</th><td class="mono">${esc(mail.envelope.from)} → ${esc(mail.envelope.to.join(', '))}</td></tr>` +
      header('发件人 / From', 'from') +
      header('收件人 / To', 'to') +
      header('日期 / Date', 'date') +
      header('Message-ID', 'message-id') +
      header('In-Reply-To', 'in-reply-to') +
      header('References', 'references') +
      `</table><h2>文本 / Text</h2><pre>${esc(parsed.text ?? '')}</pre>${html}`,
  );
}

/** The mailbox pages, as a local gateway side handler (true when it answered). */
export function mailboxPages(sink: SmtpSink): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'GET' || (path !== MAILBOX_PATH && !path.startsWith(`${MAILBOX_PATH}/`))) return false;
    const rest = path.slice(MAILBOX_PATH.length + 1);
    if (rest === '') {
      await listPage(res, sink);
      return true;
    }
    const match = /^(\d{1,9})(\.eml)?$/.exec(rest);
    const mail = match ? sink.message(Number(match[1])) : undefined;
    if (!mail) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('没有这封邮件 / No such message');
      return true;
    }
    if (match?.[2]) res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(mail.raw);
    else await messagePage(res, mail);
    return true;
  };
}

/**
 * Hands a raw email to `POST /email/inbound` of the local gateway, signed with the shop's secret
 * (read fresh: it can be rotated). A refusal throws, so the SMTP client hears 554 (refused for
 * good) or 451 (try again).
 */
export function relayInbound(opts: { gatewayUrl: () => string; db: DynamoDBDocumentClient; tableName: string; shopId: string }) {
  return async (raw: Buffer): Promise<void> => {
    const shop = await opts.db.send(new GetCommand({ TableName: opts.tableName, Key: keys.shop(opts.shopId), ConsistentRead: true }));
    const secret = shop.Item?.webhookSecret;
    if (typeof secret !== 'string') throw new Error(`shop ${opts.shopId} is not set up`);
    const body = JSON.stringify({ raw: raw.toString('base64') });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${opts.gatewayUrl()}/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kefu-shop': opts.shopId, 'x-kefu-timestamp': ts, 'x-kefu-signature': hmacHex(secret, `${ts}.${body}`) },
      body,
    });
    // A message the route refuses (4xx) will be refused again: 554; anything else may pass later: 451.
    if (!res.ok) throw Object.assign(new Error(`inbound refused: ${res.status}`), { responseCode: res.status < 500 ? 554 : 451 });
  };
}
