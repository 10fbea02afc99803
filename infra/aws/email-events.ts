import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { ExternalQueueSource, QueueName } from '#infra/manifest.ts';
import type { KefuQueue } from './kefu-queue.ts';

/** The external source this construct wires (the manifest's queue with this `source`). */
export const SES_NOTIFICATIONS: ExternalQueueSource = 'ses-notifications';

/** The environment variable the email functions read the configuration set's name from (shared/config.ts). */
export const SES_CONFIGURATION_SET_ENV = 'KEFU_SES_CONFIGURATION_SET';

/** A configuration set name from the stack's (SES allows letters, digits, `-` and `_`, at most 64). */
export function configurationSetName(stackName: string): string {
  return `${stackName.replace(/[^\w-]/g, '-').slice(0, 57)}-email`;
}

/**
 * SES bounce and complaint events for the suppression list: a configuration set (named on every
 * SendEmail through KEFU_SES_CONFIGURATION_SET) publishes BOUNCE and COMPLAINT events to an SNS
 * topic (encrypted with its own rotating KMS key, which SES may use, TLS only), delivered to the
 * manifest's `ses-events` queue (SQS-managed encryption, DLQ), whose consumer suppresses the
 * addresses (functions/queue/ses-events-consumer.ts).
 */
export class EmailEvents extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: { queues: ReadonlyMap<QueueName, KefuQueue>; name: string }) {
    super(scope, id);
    const queue = [...props.queues.values()].find((q) => q.definition.source === SES_NOTIFICATIONS);
    if (!queue) throw new Error(`manifest: no queue has source '${SES_NOTIFICATIONS}'`);
    const { account } = Stack.of(this);

    const key = new Key(this, 'key', { description: 'Kefu SES bounce and complaint notifications (SNS topic encryption)', enableKeyRotation: true });
    // SES publishes to the encrypted topic: it needs a data key from this key, for this account only.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new Topic(this, 'topic', { displayName: 'Kefu SES bounces and complaints', masterKey: key, enforceSSL: true });
    this.topic.addSubscription(new SqsSubscription(queue));

    this.configurationSet = new ConfigurationSet(this, 'configuration-set', { configurationSetName: props.name });
    // The event destination also lets ses.amazonaws.com publish to the topic (for this configuration set only).
    this.configurationSet.addEventDestination('bounces-complaints', {
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
  }
}
