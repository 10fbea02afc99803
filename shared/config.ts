import * as z from 'zod/mini';
import { type QueueName, queues, queueUrlEnv } from '#infra/manifest.ts';

/**
 * Environment contract shared by the CDK stack and the local runtime. Read and validated once
 * per container; functions only see what infra bound to them, so most fields are optional and
 * the accessors below fail loudly when a function uses something it was not given.
 */
const EnvSchema = z.object({
  TABLE_NAME: z.optional(z.string()),
  /** https://{api}.execute-api.{region}.amazonaws.com/{stage} in AWS; the local gateway locally. */
  WS_MANAGEMENT_ENDPOINT: z.optional(z.string()),
  /** Public wss:// URL of the WebSocket API, handed to clients. */
  WS_PUBLIC_URL: z.optional(z.string()),
  /** Cognito user pool issuer in AWS; the local issuer locally. JWKS at `${issuer}/.well-known/jwks.json`. */
  STAFF_ISSUER: z.optional(z.string()),
  /** Cognito app client id (the `aud`/`client_id` of staff tokens). */
  STAFF_AUDIENCE: z.optional(z.string()),
  KEFU_STAGE: z._default(z.string(), 'local'),
  /** S3 bucket of chat attachments (pre-signed uploads and downloads). */
  ATTACHMENTS_BUCKET: z.optional(z.string()),
  /** LLM mode of the bot: any OpenAI-compatible provider. Without a key the offline responder answers. */
  OPENAI_API_KEY: z.optional(z.string()),
  OPENAI_BASE_URL: z.optional(z.string()),
  KEFU_LLM_MODEL: z._default(z.string(), 'gpt-4o-mini'),
  KEFU_LLM_TOKEN_BUDGET: z._default(z.coerce.number(), 8000),
  KEFU_LLM_TIMEOUT_MS: z._default(z.coerce.number(), 15000),
  /** Comma-separated hosts bot replies may link to (the shop's own domains). */
  KEFU_ALLOWED_LINK_HOSTS: z._default(z.string(), ''),
  /** Local stage only: shifts the clock tickets and SLA timers read, in ms (tests of deadlines hours ahead). */
  KEFU_CLOCK_OFFSET_MS: z.optional(z.string().check(z.regex(/^-?\d{1,15}$/))),
  /** Longest hop of a chained SLA timer in seconds (SQS allows 900); tests shorten it. */
  KEFU_SLA_MAX_DELAY_SECONDS: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
  /** Days a solved ticket stays solved before it is closed (default 4). */
  KEFU_TICKET_AUTOCLOSE_DAYS: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
  /** Public base URL of the HTTP API for links in messages (unsubscribe); defaults to the URL the campaign was launched through. */
  KEFU_PUBLIC_API_URL: z.optional(z.string().check(z.regex(/^https?:\/\/\S+$/))),
  /** Domain of the Message-IDs Kefu gives outbound ticket replies (`<{id}@{domain}>`); default `mail.kefu.local`. */
  KEFU_MAIL_DOMAIN: z.optional(z.string().check(z.regex(/^[a-z0-9.-]{1,253}$/))),
  /** Longest hop of a held campaign send (pause, quiet hours) in seconds (SQS allows 900); tests shorten it. */
  KEFU_CAMPAIGN_MAX_DELAY_SECONDS: z.optional(z.string().check(z.regex(/^\d{1,3}$/))),
  /**
   * How the email sender delivers (docs/channels.md): `smtp` (KEFU_SMTP_*), `ses` (SESv2 SendEmail,
   * raw MIME) or `none`. Unset: `smtp` when KEFU_SMTP_HOST is set, `ses` in Lambda outside the
   * local stage when KEFU_EMAIL_FROM is set, else `none` (emails stay pending).
   */
  KEFU_EMAIL_TRANSPORT: z.optional(z.enum(['smtp', 'ses', 'none'])),
  /** The From of outbound email (`support@shop.example` or `店铺客服 <support@shop.example>`); default `support@{KEFU_MAIL_DOMAIN}`. */
  KEFU_EMAIL_FROM: z.optional(z.string().check(z.minLength(3), z.maxLength(320))),
  KEFU_SMTP_HOST: z.optional(z.string().check(z.minLength(1), z.maxLength(253))),
  KEFU_SMTP_PORT: z.optional(z.string().check(z.regex(/^\d{1,5}$/))),
  KEFU_SMTP_USER: z.optional(z.string()),
  KEFU_SMTP_PASSWORD: z.optional(z.string()),
  /** `true`: TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  KEFU_SMTP_SECURE: z.optional(z.enum(['true', 'false'])),
  /** SES configuration set named on every send (event publishing: bounces, complaints). */
  KEFU_SES_CONFIGURATION_SET: z.optional(z.string().check(z.regex(/^[\w-]{1,64}$/))),
  /** Attempts before an outbound email is given up (`failed`); default 8. */
  KEFU_EMAIL_MAX_ATTEMPTS: z.optional(z.string().check(z.regex(/^\d{1,2}$/))),
  /** WeChat customer service (WeCom): the corp id (the receiveid of callbacks), the callback Token and EncodingAESKey. */
  KEFU_WECOM_CORP_ID: z.optional(z.string().check(z.regex(/^[\w-]{1,64}$/))),
  KEFU_WECOM_TOKEN: z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{1,32}$/))),
  KEFU_WECOM_AES_KEY: z.optional(z.string().check(z.regex(/^[A-Za-z0-9]{43}$/))),
  /** The shop WeChat conversations belong to (default: the single-shop install's shop). */
  KEFU_WECOM_SHOP_ID: z.optional(z.string().check(z.regex(/^[\w-]{1,64}$/))),
  /** The WeChat customer-service Secret (access tokens for `kf/sync_msg` and `kf/send_msg`); without it nothing is pulled or sent. */
  KEFU_WECOM_SECRET: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  /** The WeCom API origin (default https://qyapi.weixin.qq.com; the local simulator's URL in tests). */
  KEFU_WECOM_API_BASE: z.optional(z.string().check(z.regex(/^https?:\/\/[^\s/]+$/))),
});

export type Config = z.infer<typeof EnvSchema> & { queueUrls: Partial<Record<QueueName, string>> };

let cached: Config | undefined;

/** The validated configuration of this container (parsed on first use, then cached). */
export function config(): Config {
  if (cached) return cached;
  const env = EnvSchema.parse(process.env);
  const queueUrls: Partial<Record<QueueName, string>> = {};
  for (const { name } of queues) {
    const url = process.env[queueUrlEnv(name)];
    if (url) queueUrls[name] = url;
  }
  cached = { ...env, queueUrls };
  return cached;
}

/** Forget the cached configuration (the local runtime and tests change the environment). */
export function resetConfig(): void {
  cached = undefined;
}

/** A required setting; throws a configuration error naming the variable when it is absent. */
export function required<K extends keyof Config>(key: K): NonNullable<Config[K]> {
  const value = config()[key];
  if (value === undefined || value === null || value === '') {
    throw new Error(`configuration: ${String(key)} is not set for this function (bind it in infra/manifest.ts)`);
  }
  return value as NonNullable<Config[K]>;
}

/** The URL of a queue this function may send to. */
export function queueUrl(name: QueueName): string {
  const url = config().queueUrls[name];
  if (!url) throw new Error(`configuration: ${queueUrlEnv(name)} is not set (add "${name}" to access.send in infra/manifest.ts)`);
  return url;
}
