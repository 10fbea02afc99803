/**
 * Backups in the synthesized template, and the restore runbook of docs/aws.md checked against it:
 * point-in-time recovery stays on, the attachments bucket is versioned and old versions expire with
 * the backups, a daily AWS Backup plan keeps 35 days of the table and the bucket in a retained
 * vault; every stack output the runbook reads exists, the settings it restores are the table's, and
 * its switch-over (`-c kefu:restoredTable=…`) moves the functions and the backups to the restored table.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_RETENTION_DAYS } from '#infra/aws/backups.ts';
import { REPO_ROOT } from '#infra/aws/kefu-function.ts';
import { synthesizeKefu } from '#infra/aws/synth.ts';
import { table as tableDef } from '#infra/manifest.ts';
import { main } from '../../bin/kefu.ts';
import { type Synthesized, synthesized } from './synthesized.ts';

let synth: Synthesized;
let template: Template;
const runbook = (() => {
  const doc = readFileSync(join(REPO_ROOT, 'docs/aws.md'), 'utf8');
  const start = doc.indexOf('### Restore runbook');
  return doc.slice(start, doc.indexOf('\n## ', start));
})();

beforeAll(async () => {
  synth = await synthesized();
  template = Template.fromJSON(synth.template);
}, 1_200_000);

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
const ofType = (type: string) => Object.entries(synth.template.Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
const attachmentsBucket = () => ofType('AWS::S3::Bucket').find(([, r]) => r.Properties?.CorsConfiguration)!;

describe('backups in the template', () => {
  it('the table keeps point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  });

  it('the attachments bucket is versioned; old versions expire when the backups do', () => {
    const [, bucket] = attachmentsBucket();
    expect(bucket.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rules = (bucket.Properties!.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: BACKUP_RETENTION_DAYS }, ExpiredObjectDeleteMarker: true }),
    );
  });

  it('a daily AWS Backup plan keeps the table and the bucket 35 days in a vault that outlives the stack', () => {
    expect(BACKUP_RETENTION_DAYS).toBe(35);
    const vaults = ofType('AWS::Backup::BackupVault');
    expect(vaults).toHaveLength(1);
    expect(vaults[0]![1].DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: 'cron(0 19 * * ? *)',
            Lifecycle: { DeleteAfterDays: 35 },
            TargetBackupVault: { 'Fn::GetAtt': [vaults[0]![0], 'BackupVaultName'] },
          }),
        ],
      },
    });
    const [selection] = ofType('AWS::Backup::BackupSelection');
    const resources = (selection![1].Properties!.BackupSelection as { Resources: unknown[] }).Resources;
    expect(resources).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': [synth.tableLogicalId, 'Arn'] }, { 'Fn::GetAtt': [attachmentsBucket()[0], 'Arn'] }]));
  });
});

describe('the restore runbook in docs/aws.md', () => {
  it('reads only outputs the stack has', () => {
    const read = [...runbook.matchAll(/\$\(out (\w+)\)/g)].map((m) => m[1]);
    expect(read).toEqual(expect.arrayContaining(['TableName', 'AttachmentsBucketName', 'BackupVaultName']));
    const outputs = synth.template.Outputs as Record<string, { Value: unknown }>;
    for (const name of read) expect(outputs[name!], name).toBeDefined();
    expect(outputs.TableName!.Value).toEqual({ Ref: synth.tableLogicalId });
    expect(outputs.AttachmentsBucketName!.Value).toEqual({ Ref: attachmentsBucket()[0] });
  });

  it('turns on again exactly the table settings the stack gives its table', () => {
    const [, tableResource] = ofType('AWS::DynamoDB::Table')[0]!;
    const props = tableResource.Properties as Record<string, { AttributeName?: string; SSEEnabled?: boolean; SSEType?: string }>;
    expect(runbook).toContain(`AttributeName=${props.TimeToLiveSpecification!.AttributeName}`);
    expect(props.TimeToLiveSpecification!.AttributeName).toBe(tableDef.ttlAttribute);
    expect(runbook).toContain('PointInTimeRecoveryEnabled=true');
    expect(runbook).toContain('--deletion-protection-enabled');
    expect(props.SSESpecification).toMatchObject({ SSEEnabled: true });
    expect(runbook).toContain(`SSEType=${props.SSESpecification!.SSEType ?? 'KMS'}`);
    expect(runbook).toContain(`${BACKUP_RETENTION_DAYS} days`);
  });

  it('names a kefu command that exists for the erasure replay', async () => {
    expect(runbook).toContain('npm run kefu -- erasures replay --from-table "$TABLE" --table "$NEW" --bucket "$BUCKET"');
    const out: string[] = [];
    expect(await main(['erasures', 'replay', '--help'], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
    expect(out.join('\n')).toContain('--from-table');
  });

  describe('the switch-over to the restored table', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'kefu-restored-'));
    let switched: Template;
    let json: { Resources: Record<string, Resource>; Outputs: Record<string, { Value: unknown }> };
    beforeAll(() => {
      expect(runbook).toContain('-c kefu:restoredTable="$NEW"');
      const { index } = synthesizeKefu({ outdir, stage: 'test', bundle: false, context: { 'kefu:restoredTable': 'Kefu-restored-1' } });
      json = JSON.parse(readFileSync(index.templateFile, 'utf8'));
      switched = Template.fromJSON(json);
    }, 300_000);
    afterAll(() => rmSync(outdir, { recursive: true, force: true }));

    it('creates no table, points every function and the backups at the restored one', () => {
      switched.resourceCountIs('AWS::DynamoDB::Table', 0);
      const fns = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Properties).includes('TABLE_NAME'));
      expect(fns.length).toBeGreaterThan(10);
      for (const fn of fns)
        expect((fn.Properties as { Environment: { Variables: { TABLE_NAME: unknown } } }).Environment.Variables.TABLE_NAME).toBe('Kefu-restored-1');
      const selection = Object.values(json.Resources).find((r) => r.Type === 'AWS::Backup::BackupSelection')!;
      expect(JSON.stringify(selection.Properties)).toContain(':table/Kefu-restored-1');
      const policies = Object.values(json.Resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties).includes('dynamodb:'));
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) expect(JSON.stringify(policy.Properties)).toContain(':table/Kefu-restored-1');
      expect(json.Outputs.TableName!.Value).toBe('Kefu-restored-1');
    });
  });
});
