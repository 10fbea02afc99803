import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NagReport, nagReport } from '#infra/aws/nag-report.ts';
import { synthesizeKefu } from '#infra/aws/synth.ts';

let report: NagReport;
const outdir = mkdtempSync(join(tmpdir(), 'kefu-nag-'));

beforeAll(() => {
  // Rules read the construct tree, not the code: skip bundling, which makes this synthesis fast.
  const { app } = synthesizeKefu({ outdir, stage: 'test', bundle: false });
  report = nagReport(app);
  for (const finding of report.findings) {
    console.warn(`cdk-nag ${finding.severity} ${finding.rule}: ${finding.description}\n  at ${finding.paths.join('\n  at ')}`);
  }
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged errors', () => {
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} @ ${f.paths.join(', ')}`)).toEqual([]);
  });

  it('reports no unacknowledged warnings', () => {
    expect(report.findings.filter((f) => f.severity !== 'error').map((f) => `${f.rule} @ ${f.paths.join(', ')}`)).toEqual([]);
  });

  it('every acknowledgment names a finding that actually occurs there', () => {
    expect(report.acknowledgments.filter((a) => !a.used).map((a) => `${a.rule} @ ${a.path}`)).toEqual([]);
  });

  it('synthesis with the pack registered, as app.ts does, passes validation', () => {
    const strictOut = mkdtempSync(join(tmpdir(), 'kefu-nag-strict-'));
    try {
      expect(() => synthesizeKefu({ outdir: strictOut, stage: 'test', bundle: false, nag: true })).not.toThrow();
    } finally {
      rmSync(strictOut, { recursive: true, force: true });
    }
  }, 300_000);

  it('every acknowledgment carries a specific written reason', () => {
    expect(report.acknowledgments.length).toBeGreaterThan(0);
    for (const ack of report.acknowledgments) {
      expect(ack.reason.length, `${ack.rule} @ ${ack.path}`).toBeGreaterThanOrEqual(40);
    }
  });
});
