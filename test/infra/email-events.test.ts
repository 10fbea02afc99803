/**
 * SES bounce and complaint events in AWS: the configuration set publishes BOUNCE and COMPLAINT to an
 * encrypted, TLS-only SNS topic that only SES (this set) may publish to; the topic feeds the
 * manifest's externally fed queue, whose policy lets only that topic send; every function that
 * reads the email settings names the configuration set.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { configurationSetName } from '#infra/aws/email-events.ts';
import { functions, queues } from '#infra/manifest.ts';
import { type Synthesized, synthesized } from './synthesized.ts';

type Json = Record<string, unknown>;
let synth: Synthesized;

beforeAll(async () => {
  synth = await synthesized();
}, 1_200_000);

const ofType = (type: string) =>
  Object.entries(synth.template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, (r.Properties ?? {}) as Json] as const);
const one = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const json = (value: unknown) => JSON.stringify(value);

describe('SES events', () => {
  it('a configuration set named after the stack publishes bounces and complaints to one topic', () => {
    const [setId, set] = one('AWS::SES::ConfigurationSet');
    expect(set.Name).toBe(configurationSetName(synth.stackName));
    const [, destination] = one('AWS::SES::ConfigurationSetEventDestination');
    expect(destination.ConfigurationSetName).toEqual({ Ref: setId });
    const dest = destination.EventDestination as Json;
    expect(dest.MatchingEventTypes).toEqual(['bounce', 'complaint']);
    const [topicId] = one('AWS::SNS::Topic');
    expect((dest.SnsDestination as Json).TopicARN).toEqual({ Ref: topicId });
  });

  it('the topic is KMS-encrypted with a rotating key SES may use, TLS only, and only this set may publish', () => {
    const [topicId, topic] = one('AWS::SNS::Topic');
    const [keyId, key] = one('AWS::KMS::Key');
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.EnableKeyRotation).toBe(true);
    expect(json(key.KeyPolicy)).toContain('ses.amazonaws.com');
    const [, policy] = one('AWS::SNS::TopicPolicy');
    const statements = (policy.PolicyDocument as { Statement: Json[] }).Statement;
    expect(json(policy.Topics)).toContain(topicId);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const ses = statements.filter((s) => json(s.Principal).includes('ses.amazonaws.com'));
    expect(ses).toHaveLength(1);
    const [setId] = one('AWS::SES::ConfigurationSet');
    expect(json(ses[0]!.Condition)).toContain(`":configuration-set/",{"Ref":"${setId}"}`);
  });

  it('the topic feeds the externally fed queue, and only it may send there', () => {
    const external = queues.filter((q) => q.source === 'ses-notifications');
    expect(external.map((q) => q.name)).toEqual(['ses-events']);
    const queueId = synth.queues['ses-events'].logicalId;
    const [topicId] = one('AWS::SNS::Topic');
    const [, subscription] = one('AWS::SNS::Subscription');
    expect(subscription).toMatchObject({ Protocol: 'sqs', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    const allows = ofType('AWS::SQS::QueuePolicy')
      .filter(([, p]) => json(p.Queues).includes(queueId))
      .flatMap(([, p]) => (p.PolicyDocument as { Statement: Json[] }).Statement)
      .filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' } });
    expect(json(allows[0]!.Condition)).toContain(topicId);
  });

  it('every function that reads the email settings names the configuration set', () => {
    const mail = functions.filter((fn) => fn.access.settings?.includes('email'));
    expect(mail.map((fn) => fn.name)).toContain('email-sender');
    for (const fn of functions) {
      const variables = ((synth.template.Resources[synth.functions[fn.name]!.logicalId]!.Properties as Json).Environment as { Variables?: Json } | undefined)
        ?.Variables;
      expect(variables?.KEFU_SES_CONFIGURATION_SET, fn.name).toBe(mail.includes(fn) ? configurationSetName(synth.stackName) : undefined);
    }
  });
});
