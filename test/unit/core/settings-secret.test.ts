import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS_GROUPS_ENV, SETTINGS_SECRET_ENV } from '#infra/manifest.ts';
import { config, resetConfig } from '#shared/config.ts';
import { allowedKeys, loadSettingsSecret } from '#shared/settings-secret.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:kefu-settings-AbCdEf';
const secretOf =
  (value: string | undefined, asked: string[] = []) =>
  async (id: string) => {
    asked.push(id);
    return value;
  };

afterEach(() => resetConfig());

describe('the integration settings secret', () => {
  it('reads nothing without the secret variable (local runtime, tests)', async () => {
    const asked: string[] = [];
    const env: NodeJS.ProcessEnv = { [SETTINGS_GROUPS_ENV]: 'llm' };
    expect(await loadSettingsSecret(env, secretOf('{"OPENAI_API_KEY":"sk-1"}', asked))).toEqual([]);
    expect(asked).toEqual([]);
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  it('takes exactly the declared groups’ keys; other groups’ keys stay out of this function', async () => {
    const asked: string[] = [];
    const env: NodeJS.ProcessEnv = { [SETTINGS_SECRET_ENV]: ARN, [SETTINGS_GROUPS_ENV]: 'llm' };
    const secret = JSON.stringify({ OPENAI_API_KEY: 'sk-1', KEFU_LLM_MODEL: 'qwen-plus', KEFU_SMTP_PASSWORD: 'p', KEFU_WECOM_SECRET: 's' });
    expect((await loadSettingsSecret(env, secretOf(secret, asked))).sort()).toEqual(['KEFU_LLM_MODEL', 'OPENAI_API_KEY']);
    expect(asked).toEqual([ARN]);
    expect(env).toMatchObject({ OPENAI_API_KEY: 'sk-1', KEFU_LLM_MODEL: 'qwen-plus' });
    expect(env.KEFU_SMTP_PASSWORD).toBeUndefined();
    expect(env.KEFU_WECOM_SECRET).toBeUndefined();
  });

  it('the validated configuration sees the values (the cached one is forgotten)', async () => {
    const before = process.env.KEFU_LLM_MODEL;
    expect(config().KEFU_LLM_MODEL).toBe(before ?? 'gpt-4o-mini');
    const env = process.env;
    env[SETTINGS_SECRET_ENV] = ARN;
    env[SETTINGS_GROUPS_ENV] = 'llm';
    try {
      await loadSettingsSecret(env, secretOf('{"KEFU_LLM_MODEL":"deepseek-chat"}'));
      expect(config().KEFU_LLM_MODEL).toBe('deepseek-chat');
    } finally {
      delete env[SETTINGS_SECRET_ENV];
      delete env[SETTINGS_GROUPS_ENV];
      if (before === undefined) delete env.KEFU_LLM_MODEL;
      else env.KEFU_LLM_MODEL = before;
    }
  });

  it('an empty or unset secret is no settings; unknown keys are ignored', async () => {
    for (const value of [undefined, '', '{}', '{"SOMETHING_ELSE":"x"}']) {
      const env: NodeJS.ProcessEnv = { [SETTINGS_SECRET_ENV]: ARN, [SETTINGS_GROUPS_ENV]: 'email,wecom' };
      expect(await loadSettingsSecret(env, secretOf(value))).toEqual([]);
      expect(env.SOMETHING_ELSE).toBeUndefined();
    }
  });

  it('a secret that is not a JSON object of strings fails the cold start, naming the problem but no value', async () => {
    const env = (): NodeJS.ProcessEnv => ({ [SETTINGS_SECRET_ENV]: ARN, [SETTINGS_GROUPS_ENV]: 'wecom' });
    await expect(loadSettingsSecret(env(), secretOf('KEFU_WECOM_TOKEN=abc'))).rejects.toThrow(/not JSON/);
    await expect(loadSettingsSecret(env(), secretOf('["a"]'))).rejects.toThrow(/JSON object of strings/);
    const message = await loadSettingsSecret(env(), secretOf('{"KEFU_WECOM_TOKEN":97531}')).then(
      () => 'loaded',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/KEFU_WECOM_TOKEN must be a string/);
    expect(message).not.toContain('97531');
  });

  it('groups name their keys; an unknown group gives none', () => {
    expect(allowedKeys('wecom').has('KEFU_WECOM_AES_KEY')).toBe(true);
    expect(allowedKeys('wecom').has('OPENAI_API_KEY')).toBe(false);
    expect(allowedKeys('nope, ').size).toBe(0);
  });
});
