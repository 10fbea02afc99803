/**
 * SES event records as SES publishes them to SNS through a configuration set, in the SNS envelope
 * an SQS subscription receives (field names and shapes after the AWS SES developer guide's
 * "Examples of event data that Amazon SES publishes to Amazon SNS"; values made up).
 */
import { randomUUID } from 'node:crypto';

const mail = (to: string[]) => ({
  timestamp: '2026-12-01T08:00:00.000Z',
  source: 'Kefu <service@shop.example>',
  sourceArn: 'arn:aws:ses:ap-northeast-1:123456789012:identity/shop.example',
  sendingAccountId: '123456789012',
  messageId: '0106018d-example-message-000000',
  destination: to,
  headersTruncated: false,
  tags: { 'ses:configuration-set': ['kefu-test-email'] },
});

export function permanentBounce(feedbackId: string, to: string[]) {
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: to.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' })),
      timestamp: '2026-12-01T08:00:02.669Z',
      feedbackId,
      reportingMTA: 'dsn; mx.example.com',
    },
    mail: mail(to),
  };
}

export function transientBounce(feedbackId: string, to: string[]) {
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Transient',
      bounceSubType: 'MailboxFull',
      bouncedRecipients: to.map((emailAddress) => ({ emailAddress, action: 'failed', status: '4.2.2', diagnosticCode: 'smtp; 452 4.2.2 mailbox full' })),
      timestamp: '2026-12-01T08:00:03.000Z',
      feedbackId,
      reportingMTA: 'dsn; mx.example.com',
    },
    mail: mail(to),
  };
}

export function complaint(feedbackId: string, to: string[]) {
  return {
    eventType: 'Complaint',
    complaint: {
      complainedRecipients: to.map((emailAddress) => ({ emailAddress })),
      timestamp: '2026-12-01T09:15:00.000Z',
      feedbackId,
      userAgent: 'Mozilla/5.0 (example mail client)',
      complaintFeedbackType: 'abuse',
      arrivalDate: '2026-12-01T09:14:58.000Z',
    },
    mail: mail(to),
  };
}

export function delivery(to: string[]) {
  return {
    eventType: 'Delivery',
    delivery: { timestamp: '2026-12-01T08:00:01.000Z', processingTimeMillis: 500, recipients: to, smtpResponse: '250 ok' },
    mail: mail(to),
  };
}

/** The SNS envelope of a notification, as an SQS subscription without raw delivery receives it. */
export function snsEnvelope(event: unknown, messageId: string = randomUUID()) {
  return {
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:kefu-test-ses-events',
    Message: JSON.stringify(event),
    Timestamp: '2026-12-01T08:00:04.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.ap-northeast-1.amazonaws.com/SimpleNotificationService-example.pem',
    UnsubscribeURL: 'https://sns.ap-northeast-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=example',
  };
}
