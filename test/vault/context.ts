import { tmpdir } from 'node:os';
import { parseConfigText } from '../../src/config/load.js';
import type { RunContext, TrustedVaultSettings } from '../../src/core/context.js';

/** A RunContext for Vault client tests that records every masked value and log line. */
export interface TestContext {
  ctx: RunContext;
  masked: string[];
  logs: string[];
}

export function vaultContext(options: {
  yaml?: string;
  env?: NodeJS.ProcessEnv;
  untrusted?: boolean;
  trustedVault?: TrustedVaultSettings;
  getIdToken?: (audience?: string) => Promise<string>;
  root?: string;
}): TestContext {
  const { config, source } = parseConfigText(options.yaml ?? '{}\n', '.keywarden.yml');
  const masked: string[] = [];
  const logs: string[] = [];
  const ctx: RunContext = {
    root: options.root ?? tmpdir(),
    config,
    source,
    now: new Date(),
    env: options.env ?? {},
    log: { info: (m) => logs.push(m), warning: (m) => logs.push(m), debug: (m) => logs.push(m) },
    mask: (value) => masked.push(value),
    isAction: true,
    event: options.untrusted ? { name: 'pull_request', payload: {} } : undefined,
    configUntrusted: options.untrusted ?? false,
    trustedVault: options.trustedVault ?? {},
    getIdToken: options.getIdToken,
  };
  return { ctx, masked, logs };
}
