import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Most suites wait on child processes, servers and Chromium more than they compute: three files at a time keep two
    // cores busy without starving any one of them.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A condition a child process, a timer or Chromium makes true can take seconds under CI's load: `expect.poll` gets
    // the same 30 s as the project's `waitFor` helper and Playwright, still well inside the test's own timeout. Passing
    // checks return at their first true poll, so this costs nothing when all is well.
    expect: { poll: { timeout: 30_000 } },
    globalSetup: ['test/global-setup.ts'],
  },
});
