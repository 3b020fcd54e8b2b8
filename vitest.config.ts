import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // expect.poll waits for what a user would see; its 1 s default made it a timed
          // assertion, which flaked on two shared cores while a first visit's service worker
          // precaches in the background. A poll still ends as soon as its condition holds.
          expect: { poll: { timeout: 15_000 } },
          // One Chromium at a time: the machine has two cores and tile rendering uses both.
          fileParallelism: false,
        },
      },
    ],
  },
});
