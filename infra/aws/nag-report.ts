import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface NagFinding {
  rule: string;
  severity: string;
  description: string;
  paths: string[];
}

export interface NagAcknowledgment {
  path: string;
  rule: string;
  reason: string;
  /** Whether the rule fires under this construct at all (false = a stale acknowledgment). */
  used: boolean;
}

export interface NagReport {
  /** Findings nobody acknowledged: `cdk synth` fails on any of them. */
  findings: NagFinding[];
  acknowledgments: NagAcknowledgment[];
}

const ACK_PREFIX = /^annotation::/i;

/**
 * Runs the cdk-nag AwsSolutions pack over an app, once as `cdk synth` does and once ignoring
 * acknowledgments, so tests can show what is unacknowledged and which acknowledgments are stale.
 */
export function nagReport(app: IConstruct): NagReport {
  const findings = toFindings(new AwsSolutionsChecks().validateScope(app).violations);
  const raw = withoutAcknowledgments(() => toFindings(new AwsSolutionsChecks().validateScope(app).violations));
  const acknowledgments = collectAcknowledgments(app).map((ack) => ({
    ...ack,
    used: raw.some((f) => f.rule === ack.rule && f.paths.some((p) => p === ack.path || p.startsWith(`${ack.path}/`))),
  }));
  return { findings, acknowledgments };
}

function toFindings(
  violations: readonly { ruleName: string; severity?: string; description: string; violatingResources: readonly { constructPath?: string }[] }[],
): NagFinding[] {
  return violations.map((v) => ({
    rule: v.ruleName,
    severity: v.severity ?? 'error',
    description: v.description,
    paths: v.violatingResources.map((r) => r.constructPath ?? '?'),
  }));
}

function collectAcknowledgments(root: IConstruct): Omit<NagAcknowledgment, 'used'>[] {
  const out: Omit<NagAcknowledgment, 'used'>[] = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = id.replace(ACK_PREFIX, '');
        if (rule.startsWith('AwsSolutions-')) out.push({ path: node.node.path, rule, reason });
      }
    }
  }
  return out;
}

function withoutAcknowledgments<T>(run: () => T): T {
  const holder = Validations as unknown as { ACKNOWLEDGED_RULES_METADATA_KEY: string };
  const key = holder.ACKNOWLEDGED_RULES_METADATA_KEY;
  holder.ACKNOWLEDGED_RULES_METADATA_KEY = 'kefu:nag-report:ignore-acknowledgments';
  try {
    return run();
  } finally {
    holder.ACKNOWLEDGED_RULES_METADATA_KEY = key;
  }
}
