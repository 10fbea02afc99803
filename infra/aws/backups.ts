import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** How long the daily backups are kept; the attachments bucket keeps old versions as long. */
export const BACKUP_RETENTION_DAYS = 35;

/** The AWS-managed policies AWS Backup documents for its service role: DynamoDB and S3, backup and restore. */
const BACKUP_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
];

/**
 * A daily AWS Backup of the table and the attachments bucket, kept 35 days in a vault that outlives
 * the stack (point-in-time recovery of the table stays on beside it: minutes back for mistakes,
 * these for older states and for the files). Restore runbook: docs/aws.md.
 */
export class KefuBackups extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, props: { table: ITable; attachments: IBucket }) {
    super(scope, id);
    this.vault = new BackupVault(this, 'vault', { removalPolicy: RemovalPolicy.RETAIN });
    this.plan = new BackupPlan(this, 'plan', {
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'daily-35-days',
          // 19:00 UTC is 03:00 in China: the quietest hour of a shop's day.
          scheduleExpression: Schedule.cron({ minute: '0', hour: '19' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
          deleteAfter: Duration.days(BACKUP_RETENTION_DAYS),
        }),
      ],
    });
    const role = new Role(this, 'role', {
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: BACKUP_POLICIES.map((name) => ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    for (const name of BACKUP_POLICIES) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        reason: 'The AWS-managed policy AWS Backup documents for its service role; it follows new resource types and API changes of AWS Backup.',
      });
    }
    this.plan.addSelection('data', {
      role,
      resources: [BackupResource.fromDynamoDbTable(props.table), BackupResource.fromArn(props.attachments.bucketArn)],
    });
  }
}
