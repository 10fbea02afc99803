import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import { functions, type QueueFunctionName, type QueueOf, table } from '#infra/manifest.ts';
import { logger } from '#shared/log.ts';
import { QUEUE_MESSAGES, type QueueMessage } from '#shared/queue/messages.ts';
import { keys } from '#shared/store/keys.ts';
import { tableName } from '#shared/store/table.ts';

/**
 * The one SQS consumer wrapper: Powertools batch processing (partial batch failures reported
 * back to the event-source mapping) and Powertools idempotency on the queue's business key,
 * persisted in the single table, so at-least-once delivery has exactly-once effects. The message
 * schema and key come from the queue's contract (shared/queue/messages.ts), the queue from the
 * function's manifest entry.
 */
export function withSqs<N extends QueueFunctionName>(name: N, fn: (message: QueueMessage<QueueOf<N>>, record: SQSRecord) => Promise<void>) {
  type T = QueueMessage<QueueOf<N>>;
  const queue = functions.find((f) => f.name === name)?.queue?.name;
  if (!queue) throw new Error(`withSqs: ${name} consumes no queue in infra/manifest.ts`);
  const spec = QUEUE_MESSAGES[queue] as unknown as { schema: z.ZodMiniType<T>; key: (message: T) => string; rememberSeconds?: number };
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
      staticPkValue: keys.idempotencyPartition(name),
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
      await run({ key: spec.key(parsed.data), message: parsed.data, record });
    } catch (error) {
      // The batch reports the failure and SQS redelivers; the log says which record and why (no payload).
      logger.warn('record failed; it will be redelivered', {
        messageId: record.messageId,
        errorName: (error as Error).name,
        status: (error as { status?: number }).status,
      });
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
