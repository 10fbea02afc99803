import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { table } from '#infra/manifest.ts';
import { keys } from '#shared/store/keys.ts';
import { tableName } from '#shared/store/table.ts';
import { logger } from '#shared/log.ts';

export interface SqsSpec<T> {
  /** Function name, used as the idempotency partition. */
  name: string;
  schema: z.ZodMiniType<T>;
  /** The business key that makes a redelivery a no-op (e.g. the shop's event id). */
  idempotencyKey: (message: T) => string;
  /** How long a processed key is remembered (default 7 days, longer than any SQS retention). */
  rememberSeconds?: number;
}

/**
 * The one SQS consumer wrapper: Powertools batch processing (partial batch failures reported
 * back to the event-source mapping) and Powertools idempotency on a business key, persisted in
 * the single table, so at-least-once delivery has exactly-once effects.
 */
export function withSqs<T>(spec: SqsSpec<T>, fn: (message: T, record: SQSRecord) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  let idempotent: ((input: { key: string; message: T; record: SQSRecord }) => Promise<void>) | undefined;
  let idempotencyConfig: IdempotencyConfig | undefined;

  const setup = () => {
    idempotencyConfig = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      expiresAfterSeconds: spec.rememberSeconds ?? 7 * 24 * 3600,
    });
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: tableName(),
      keyAttr: table.partitionKey,
      sortKeyAttr: table.sortKey,
      staticPkValue: keys.idempotencyPartition(spec.name),
      expiryAttr: table.ttlAttribute,
    });
    idempotent = makeIdempotent(async ({ message, record }: { key: string; message: T; record: SQSRecord }) => fn(message, record), {
      persistenceStore,
      config: idempotencyConfig,
    });
    return idempotent;
  };

  const recordHandler = async (record: SQSRecord) => {
    const parsed = spec.schema.safeParse(JSON.parse(record.body));
    if (!parsed.success) {
      logger.error('invalid queue message', { messageId: record.messageId, issues: parsed.error.issues.length });
      throw new Error(`invalid message ${record.messageId}`);
    }
    const run = idempotent ?? setup();
    try {
      await run({ key: spec.idempotencyKey(parsed.data), message: parsed.data, record });
    } catch (error) {
      // The batch reports the failure and SQS redelivers; the log says which record and why (no payload).
      logger.warn('record failed; it will be redelivered', { messageId: record.messageId, errorName: (error as Error).name, status: (error as { status?: number }).status });
      throw error;
    }
  };

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    if (!idempotent) setup();
    logger.addContext(context);
    idempotencyConfig?.registerLambdaContext(context);
    return processPartialResponse(event, recordHandler, processor, { context });
  };
}
