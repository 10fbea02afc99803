/** Addresses of outbound email, from the configuration (no transport code: cheap to import anywhere). */
import { type Config, config } from '#shared/config.ts';

/** The domain of Message-IDs Kefu gives its mail. */
export function mailDomain(cfg: Config = config()): string {
  return cfg.KEFU_MAIL_DOMAIN ?? 'mail.kefu.local';
}

/** The From of outbound email. */
export function fromAddress(cfg: Config = config()): string {
  return cfg.KEFU_EMAIL_FROM ?? `support@${mailDomain(cfg)}`;
}
