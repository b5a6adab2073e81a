import fc from 'fast-check';
import { beforeEach } from 'vitest';
import { drawSamplesFrom } from '../../src/scanning/rules/support.js';
import { TEST_SEED, randomBytes, reseed } from './random.js';

/**
 * Shared by every test file (vitest setupFiles): one seed for all random test data, the rules' own
 * samples and fast-check; each test restarts from it, and a failure names the seed to replay it.
 */

drawSamplesFrom(randomBytes);
fc.configureGlobal({ seed: TEST_SEED, numRuns: 100, endOnFailure: true });

beforeEach(({ task, onTestFailed }) => {
  reseed(task.fullName ?? task.name);
  onTestFailed(() => {
    console.error(`[keywarden] random test data from seed ${TEST_SEED}: replay with KEYWARDEN_TEST_SEED=${TEST_SEED}`);
  });
});
