import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Deadlines only catch hangs: a busy 2-core machine (load 10+) runs some tests several times slower.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // Function timeouts ×4 on local stacks: a busy 2-core machine slows handlers, it must not fail them.
    env: { AWS_REGION: 'us-east-1', POWERTOOLS_DEV: 'false', POWERTOOLS_LOG_LEVEL: 'SILENT', KEFU_LOCAL_TIMEOUT_SCALE: '4' },
  },
});
