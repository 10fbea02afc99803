import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type QueueDef, visibilityTimeout } from '#infra/manifest.ts';

/** How long a failed message waits in a dead-letter queue for someone to look at it (SQS maximum). */
export const DLQ_RETENTION = Duration.days(14);

/**
 * A manifest queue: SQS-managed encryption, TLS-only access, a visibility timeout of 6× its
 * consumer's timeout, and a sibling dead-letter queue `${name}-dlq` that receives a message after
 * `maxReceiveCount` failed deliveries.
 */
export class KefuQueue extends Queue {
  readonly definition: QueueDef;
  readonly deadLetters: Queue;

  constructor(scope: Construct, definition: QueueDef) {
    const deadLetters = new Queue(scope, `${definition.name}-dlq`, {
      retentionPeriod: DLQ_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    super(scope, definition.name, {
      visibilityTimeout: Duration.seconds(visibilityTimeout(definition.name)),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: definition.maxReceiveCount },
    });
    this.definition = definition;
    this.deadLetters = deadLetters;
  }
}
