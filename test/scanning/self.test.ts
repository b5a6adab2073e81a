import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { runScan } from '../../src/scanning/index.js';
import { scanContext } from './helpers.js';

it('scans its own repository clean with the shipped rules and its own config', async () => {
  const { ctx } = scanContext(process.cwd());
  const { config, source } = loadConfig(process.cwd());
  const result = await runScan({ ...ctx, config, source }, { mode: 'tree' });
  const open = result.findings.filter((f) => !f.suppression && f.level !== 'note');
  expect(open.map((f) => `${f.ruleId} ${f.file}:${f.startLine} ${f.message}`)).toEqual([]);
});
