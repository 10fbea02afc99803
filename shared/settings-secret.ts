import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { SETTINGS_GROUPS, SETTINGS_GROUPS_ENV, SETTINGS_SECRET_ENV, type SettingsGroup } from '#infra/manifest.ts';
import { resetConfig } from '#shared/config.ts';
import { logger } from '#shared/log.ts';

/** Reads the secret's string (Powertools Parameters: the Secrets Manager client, retries, caching). */
export type ReadSecret = (id: string) => Promise<string | undefined>;

const readFromSecretsManager: ReadSecret = async (id) => {
  const value = await getSecret(id);
  if (value === undefined || typeof value === 'string') return value;
  return new TextDecoder().decode(value);
};

/** The settings a function takes from the secret: its declared groups' keys, nothing else. */
export function allowedKeys(groups: string): Set<string> {
  const keys = new Set<string>();
  for (const name of groups.split(',').map((g) => g.trim())) {
    if (name in SETTINGS_GROUPS) for (const key of SETTINGS_GROUPS[name as SettingsGroup]) keys.add(key);
  }
  return keys;
}

/**
 * Puts this function's integration settings from the settings secret into the environment, once per
 * container at a cold start (the bundle's entry awaits it during the Lambda's init, before the first invocation, see
 * infra/aws/bundle.ts), then forgets the cached configuration so `config()` validates them. Without
 * `KEFU_SETTINGS_SECRET` (local runtime, tests) it does nothing: settings are environment variables.
 * A secret that is not a JSON object of strings fails the cold start with a message naming the
 * problem (never the values); keys of other groups are left out, unknown keys are logged by name.
 */
export async function loadSettingsSecret(env: NodeJS.ProcessEnv = process.env, read: ReadSecret = readFromSecretsManager): Promise<string[]> {
  const id = env[SETTINGS_SECRET_ENV];
  if (!id) return [];
  const raw = (await read(id))?.trim() || '{}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`settings secret ${id}: the value is not JSON; store an object such as {"OPENAI_API_KEY":"…"}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`settings secret ${id}: the value must be a JSON object of strings`);
  }
  const allowed = allowedKeys(env[SETTINGS_GROUPS_ENV] ?? '');
  const known = new Set<string>(Object.values(SETTINGS_GROUPS).flat());
  const applied: string[] = [];
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) {
      unknown.push(key);
      continue;
    }
    if (!allowed.has(key)) continue;
    if (typeof value !== 'string') throw new Error(`settings secret ${id}: ${key} must be a string`);
    env[key] = value;
    applied.push(key);
  }
  if (unknown.length) logger.warn('settings secret: keys Kefu does not know were ignored', { keys: unknown });
  resetConfig();
  return applied;
}
