import { it, expect } from 'vitest';
import { runScan } from '../../src/scanning/index.js';
import { scanContext } from './helpers.js';

it('scans its own repository clean', async () => {
  const { ctx, logs } = scanContext(process.cwd());
  const result = await runScan(ctx, { mode: 'tree' });
  const open = result.findings.filter((f) => !f.suppression && f.level !== 'note');
  console.log(logs.join('\n'));
  console.log(open.map((f) => `${f.ruleId} ${f.file}:${f.startLine} ${f.message} | ${f.snippet}`).join('\n'));
  expect(open).toEqual([]);
});
