import path from 'node:path';
import * as core from '@actions/core';
import type { Logger } from '../core/context.js';
import type { Finding } from '../core/finding.js';
import { describeError } from '../core/errors.js';
import { FINGERPRINT_KEY_ENV } from '../core/fingerprint.js';
import { totalsOf, type Report } from '../core/report.js';
import { writeFileNoFollow } from '../core/safe-write.js';
import { createContext } from '../commands/context.js';
import { failingFindings, runCommand } from '../commands/run.js';
import { TOOL } from '../commands/version.js';
import { emitAnnotations, logText, renderJson, renderSarif, renderSummary, renderText } from '../reporting/index.js';
import { linkTarget, readEvent } from './event.js';
import { readInputs } from './inputs.js';

/** Log text may hold names from the repository: escaped so that none can inject a workflow command. */
const actionLog: Logger = {
  info: (message) => core.info(logText(message)),
  warning: (message) => core.warning(logText(message)),
  debug: (message) => core.debug(logText(message)),
};

/** The action: inputs → config → checks → findings → reporters, outputs and the verdict. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readInputs();
    if (inputs.githubToken) core.setSecret(inputs.githubToken);
    // The fingerprint key makes fingerprints unguessable only while it stays secret.
    if (env[FINGERPRINT_KEY_ENV]) core.setSecret(env[FINGERPRINT_KEY_ENV]);
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const event = readEvent(env);
    const baseline = inputs.baseline && path.resolve(workspace, inputs.baseline);
    const ctx = await createContext({
      path: path.resolve(workspace, inputs.path),
      configPath: inputs.config && path.resolve(workspace, inputs.config),
      env,
      log: actionLog,
      isAction: true,
      mask: (value) => core.setSecret(value),
      event,
      trustedVault: {
        address: inputs.vaultUrl,
        namespace: inputs.vaultNamespace,
        auth: {
          ...(inputs.vaultAuth && { method: inputs.vaultAuth }),
          ...(inputs.vaultRole && { role: inputs.vaultRole }),
          ...(inputs.vaultAudience && { audience: inputs.vaultAudience }),
        },
      },
      getIdToken: (audience) => core.getIDToken(audience),
      githubToken: inputs.githubToken,
      configFrom: inputs.configFrom,
      ...(baseline ? { baselinePath: baseline } : {}),
      redactShown: inputs.redactShown,
    });

    const result = await runCommand(inputs.command, ctx, {
      scan: { mode: inputs.scanMode, base: inputs.base, head: inputs.head },
      live: inputs.live,
      rotate: { selection: inputs.rotate, dryRun: inputs.dryRun },
      baseline,
    });
    const report: Report = {
      tool: TOOL,
      command: inputs.command,
      findings: relativeToWorkspace(result.findings, workspace, ctx.root),
      rules: result.rules,
      rotated: result.rotated,
      ...(result.coverage ? { coverage: result.coverage } : {}),
      failOn: inputs.failOn,
      ...(ctx.configUntrusted && ctx.trustedFiles ? { configOrigin: ctx.trustedFiles.origin } : {}),
      ...linkTarget(env, event),
    };

    core.info(renderText(report, { color: false }));
    const totals = totalsOf(report.findings);
    core.setOutput('findings', totals.total);
    core.setOutput('errors', totals.error);
    core.setOutput('warnings', totals.warning);
    if (inputs.sarifFile) core.setOutput('sarif-file', writeReport(workspace, inputs.sarifFile, renderSarif(report)));
    if (inputs.reportFile) core.setOutput('report', writeReport(workspace, inputs.reportFile, renderJson(report)));
    if (result.rotated) core.setOutput('rotated', JSON.stringify(result.rotated));

    const omitted = inputs.annotations ? emitAnnotations(report, core) : 0;
    if (inputs.summary && env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(renderSummary(report, { omittedAnnotations: omitted })).write();
    }

    const failing = failingFindings(report.findings, inputs.failOn);
    if (failing.length > 0) {
      core.setFailed(
        `keywarden found ${failing.length} finding${failing.length === 1 ? '' : 's'} at or above "${inputs.failOn}" ` +
          `(${totals.error} error${totals.error === 1 ? '' : 's'}, ${totals.warning} warning${totals.warning === 1 ? '' : 's'}, ${totals.note} note${totals.note === 1 ? '' : 's'})`,
      );
    }
  } catch (error) {
    core.setFailed(logText(`keywarden: ${describeError(error)}`));
  }
}

/** Annotations and SARIF need workspace-relative paths even when `path` names a subdirectory. */
function relativeToWorkspace(findings: Finding[], workspace: string, root: string): Finding[] {
  const prefix = path.relative(workspace, root).split(path.sep).join('/');
  if (prefix === '' || prefix.startsWith('..')) return findings;
  return findings.map((f) => (f.file.includes(':') ? f : { ...f, file: `${prefix}/${f.file}` }));
}

function writeReport(workspace: string, file: string, text: string): string {
  writeFileNoFollow(file, text.endsWith('\n') ? text : `${text}\n`, workspace);
  return path.resolve(workspace, file);
}
