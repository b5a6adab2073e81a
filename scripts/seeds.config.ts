import { defineConfig } from 'vitest/config';

/**
 * The scanning tests under many seeds in one vitest run (`npm run test:seeds`; not part of CI): one
 * project per seed, each with its own KEYWARDEN_TEST_SEED. SEEDS (default 50) and FIRST_SEED
 * (default 1) choose which. A failure's project name is the seed that replays it.
 */
const count = Number(process.env.SEEDS ?? 50);
const first = Number(process.env.FIRST_SEED ?? 1);

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    projects: Array.from({ length: count }, (_, i) => ({
      test: {
        name: `seed-${first + i}`,
        root: new URL('..', import.meta.url).pathname,
        include: ['test/scanning/**/*.test.ts'],
        // Deterministic by construction: regex structure and the repository's own scan draw nothing random.
        exclude: ['test/scanning/rules-redos.test.ts', 'test/scanning/self.test.ts'],
        setupFiles: ['test/support/setup.ts'],
        env: { KEYWARDEN_TEST_SEED: String(first + i) },
        testTimeout: 60_000,
        pool: 'forks' as const,
      },
    })),
  },
});
