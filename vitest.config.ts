import { defineConfig } from 'vitest/config';

// Running every benchmark at tiny scale takes minutes (each starts a sandbox or a build): it runs
// with `npm run test:bench`, not in `npm test`, which must stay under 10 minutes on 2 cores.
const benchSmoke = 'test/bench/smoke.test.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'e2e/**/*.test.ts'],
    exclude: process.env.HCC_BENCH_SMOKE === '1' ? ['**/node_modules/**'] : ['**/node_modules/**', benchSmoke],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real HTTP servers on ephemeral ports; two cores in CI.
    maxWorkers: 2,
  },
});
