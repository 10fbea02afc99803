/**
 * The shop's settings as admins read and change them (pure): the GET view with masked secrets,
 * the change a PUT makes, and what is wrong with a webhook URL, in zh-CN and en.
 */
import type { Shop } from '#shared/store/shops.ts';
import type { TargetVerdict } from '#shared/webhooks/address-policy.ts';

/** Transcript retention: at least a day, at most ten years; none = kept until erased. */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

/** What `GET /shop-settings` answers: every editable field, secrets only as a hint. */
export interface ShopSettingsView {
  shopId: string;
  name: string;
  botEnabled: boolean;
  assignOnReply: boolean;
  /** null = transcripts are kept until a contact is erased. */
  transcriptRetentionDays: number | null;
  webhookUrl: string | null;
  /** The last four characters behind a mask; the secrets themselves never leave the server in a GET. */
  webhookSecretHint: string;
  identitySecretHint: string;
  webhookSecretRotatedAt: string | null;
  /** Send it back with a PUT: another admin's save in between makes the PUT a 409. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** `••••••••` and the last four characters (nothing more for a short or missing secret). */
export function maskSecret(secret: string | undefined): string {
  return secret && secret.length >= 16 ? `••••••••${secret.slice(-4)}` : '••••••••';
}

export function settingsView(shop: Shop): ShopSettingsView {
  return {
    shopId: shop.shopId,
    name: shop.name,
    botEnabled: shop.botEnabled !== false,
    assignOnReply: shop.assignOnReply !== false,
    transcriptRetentionDays: shop.transcriptRetentionDays ?? null,
    webhookUrl: shop.webhookUrl ?? null,
    webhookSecretHint: maskSecret(shop.webhookSecret),
    identitySecretHint: maskSecret(shop.identitySecret),
    webhookSecretRotatedAt: shop.webhookSecretRotatedAt ?? null,
    version: shop.settingsVersion ?? 0,
    updatedAt: shop.settingsUpdatedAt ?? null,
    updatedBy: shop.settingsUpdatedBy ?? null,
  };
}

/** The editable fields a PUT may carry (omitted = unchanged; null = cleared). */
export interface SettingsChange {
  name?: string;
  botEnabled?: boolean;
  assignOnReply?: boolean;
  transcriptRetentionDays?: number | null;
  webhookUrl?: string | null;
}

/** The attributes to set and to remove for a change (nulls remove: an absent field is the default). */
export function changeAttributes(change: SettingsChange): { set: Record<string, string | number | boolean>; remove: string[] } {
  const set: Record<string, string | number | boolean> = {};
  const remove: string[] = [];
  for (const [field, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (value === null) remove.push(field);
    else set[field] = value;
  }
  return { set, remove };
}

/** A message in the two languages of the console. */
export interface TwoLanguages {
  'zh-CN': string;
  en: string;
}

type Refusal = Extract<TargetVerdict, { ok: false }>['reason'];

/** Why a webhook URL is refused, as an admin can act on it. */
const URL_PROBLEMS: Record<Refusal, TwoLanguages> = {
  invalid_url: {
    'zh-CN': '这不是有效的网址，请填写完整地址，例如 https://shop.example.com/kefu-webhook。',
    en: 'This is not a valid URL: enter a full address such as https://shop.example.com/kefu-webhook.',
  },
  scheme_not_allowed: { 'zh-CN': 'Webhook 地址必须以 https:// 开头。', en: 'The webhook URL must start with https://.' },
  credentials_in_url: {
    'zh-CN': '网址中不能包含用户名或密码；请用签名密钥验证请求。',
    en: 'The URL must not contain a user name or password; verify requests with the signing secret instead.',
  },
  unresolvable: {
    'zh-CN': '无法解析该主机名，请检查域名是否正确并已生效。',
    en: 'The host name could not be resolved: check that the domain is right and live.',
  },
  blocked_address: {
    'zh-CN': '该地址指向内网、本机或保留地址；Webhook 只能发送到公网地址。',
    en: 'The address points to a private, loopback or reserved network; webhooks go to public addresses only.',
  },
};

export function urlProblem(reason: Refusal): TwoLanguages {
  return URL_PROBLEMS[reason];
}

/** Handler-side messages that are not a field's schema issue. */
export const MESSAGES = {
  nothingToChange: {
    'zh-CN': '请求内容中没有要修改的设置：请至少提供 name、botEnabled、assignOnReply、transcriptRetentionDays 或 webhookUrl 之一。',
    en: 'The body changes nothing: send at least one of name, botEnabled, assignOnReply, transcriptRetentionDays or webhookUrl.',
  },
} as const satisfies Record<string, TwoLanguages>;

/** The caller's language for a message (`Accept-Language` zh… → zh-CN, else en), as validation does. */
export function callerLanguage(acceptLanguage: string | undefined): keyof TwoLanguages {
  return /^\s*zh/i.test(acceptLanguage ?? '') ? 'zh-CN' : 'en';
}
