/**
 * Admin edits of the loyalty configuration. The first edit materialises the built-in defaults
 * (in the same transaction), so editing one tier never silently drops the others. Every stored
 * item carries a version and edits are conditional on it (409 on a concurrent edit).
 */
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { badRequest, conflict, notFound } from '#shared/http/errors.ts';
import { keys } from '#shared/store/keys.ts';
import { db, tableName } from '#shared/store/table.ts';
import { forgetLoyaltyConfig, loyaltyConfig, type TransactItem } from './store.ts';
import { DEFAULT_SETTINGS, type LoyaltySettings, type TierDef, validateTiers } from './tiers.ts';

function tierPut(tier: TierDef, version: number, condition: { expected?: number; create?: boolean }): TransactItem {
  return {
    Put: {
      TableName: tableName(),
      Item: { ...keys.tierDef(tier.tierId), ...tier, version },
      ...(condition.create
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : condition.expected !== undefined
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': condition.expected } }
          : {}),
    },
  };
}

async function write(items: TransactItem[]): Promise<void> {
  try {
    await db().send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if ((error as Error).name === 'TransactionCanceledException')
      throw conflict({ en: 'the tiers were changed by someone else; reload and try again', zh: '会员等级已被他人修改，请重新加载后再试' });
    throw error;
  } finally {
    forgetLoyaltyConfig();
  }
}

/** Creates or replaces one tier; the resulting tier list must stay valid. */
export async function saveTier(tier: TierDef, expectedVersion: number | undefined): Promise<{ tier: TierDef; version: number }> {
  forgetLoyaltyConfig();
  const config = await loyaltyConfig();
  const others = config.tiers.filter((t) => t.tierId !== tier.tierId);
  const problems = validateTiers([...others, tier]);
  if (problems.length > 0)
    throw badRequest(
      {
        en: `the tier list would be invalid: ${problems.join('; ')}`,
        zh: `这样修改后会员等级列表将无效（${problems.length} 处问题），请检查各等级的编号、排名和门槛`,
      },
      { problems },
    );
  const exists = config.tiers.some((t) => t.tierId === tier.tierId);
  if (!config.stored) {
    await write([...others.map((t) => tierPut(t, 1, { create: true })), tierPut(tier, 1, { create: true })]);
    return { tier, version: 1 };
  }
  const current = config.versions[tier.tierId];
  if (exists && expectedVersion === undefined)
    throw conflict({
      en: `tier ${tier.tierId} exists: send the version you read to replace it`,
      zh: `会员等级 ${tier.tierId} 已存在，如要替换请附上读取时的版本号（version）`,
    });
  if (exists && expectedVersion !== current)
    throw conflict({
      en: `tier ${tier.tierId} is at version ${current}, not ${expectedVersion}`,
      zh: `会员等级 ${tier.tierId} 当前是第 ${current} 版，不是第 ${expectedVersion} 版，请重新加载后再试`,
    });
  const version = (current ?? 0) + 1;
  await write([tierPut(tier, version, exists ? { expected: current as number } : { create: true })]);
  return { tier, version };
}

/** Deletes a tier nobody holds; the remaining list must stay valid. */
export async function deleteTier(tierId: string): Promise<void> {
  forgetLoyaltyConfig();
  const config = await loyaltyConfig();
  if (!config.tiers.some((t) => t.tierId === tierId)) throw notFound('tier');
  const remaining = config.tiers.filter((t) => t.tierId !== tierId);
  const problems = validateTiers(remaining);
  if (problems.length > 0)
    throw badRequest(
      {
        en: `the tier list would be invalid: ${problems.join('; ')}`,
        zh: `这样修改后会员等级列表将无效（${problems.length} 处问题），请检查各等级的编号、排名和门槛`,
      },
      { problems },
    );
  const holders = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': keys.tierPartition(tierId).gsi3pk },
      Limit: 1,
    }),
  );
  if ((holders.Items ?? []).length > 0) {
    // `reason` tells this refusal apart from a concurrent edit (both are 409s): the console explains what to do instead
    throw conflict(
      {
        en: `members hold tier ${tierId}; raise its thresholds instead, or move them first`,
        zh: `仍有会员处于等级 ${tierId}，请改为提高它的门槛，或先把这些会员移到其他等级`,
      },
      { reason: 'tier_in_use' },
    );
  }
  if (!config.stored) {
    await write(remaining.map((t) => tierPut(t, 1, { create: true })));
    return;
  }
  await write([
    {
      Delete: {
        TableName: tableName(),
        Key: keys.tierDef(tierId),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': config.versions[tierId] ?? 0 },
      },
    },
  ]);
}

/** Changes program settings (partial), conditional on the version read. */
export async function saveSettings(
  patch: Partial<LoyaltySettings>,
  expectedVersion: number | undefined,
): Promise<{ settings: LoyaltySettings; version: number }> {
  forgetLoyaltyConfig();
  const config = await loyaltyConfig();
  const current = config.versions.settings;
  if (current !== undefined && expectedVersion !== current)
    throw conflict({ en: `settings are at version ${current}; send the version you read`, zh: `设置当前是第 ${current} 版，请附上读取时的版本号（version）` });
  const settings: LoyaltySettings = { ...DEFAULT_SETTINGS, ...config.settings, ...patch };
  const version = (current ?? 0) + 1;
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.loyaltySettings(), ...settings, version },
        ...(current === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current } }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException')
      throw conflict({ en: 'settings were changed by someone else; reload and try again', zh: '设置已被他人修改，请重新加载后再试' });
    throw error;
  } finally {
    forgetLoyaltyConfig();
  }
  return { settings, version };
}
