import { parseConfigText } from '../../src/config/load.js';
import type { EventInfo, RunContext } from '../../src/core/context.js';
import type { RuleMatch, SecretRule } from '../../src/scanning/rule.js';
import { ALNUM, secretChars } from '../support/random.js';

/** A RunContext for scanner tests that records log lines and masked values. */
export function scanContext(root: string, options: { yaml?: string; event?: EventInfo } = {}): { ctx: RunContext; logs: string[]; masked: string[] } {
  const { config, source } = parseConfigText(options.yaml ?? '{}\n', '.keywarden.yml');
  const logs: string[] = [];
  const masked: string[] = [];
  const ctx: RunContext = {
    root,
    config,
    source,
    now: new Date('2026-01-01T00:00:00Z'),
    env: {},
    log: { info: (m) => logs.push(m), warning: (m) => logs.push(m), debug: (m) => logs.push(m) },
    mask: (value) => masked.push(value),
    isAction: options.event !== undefined,
    event: options.event,
    configUntrusted: false,
    trustedVault: {},
  };
  return { ctx, logs, masked };
}

/** Public defaults, assembled so that our own scanner does not flag this repository. */
export const PG_DEFAULT = 'post' + 'gres';
export const CHANGEME = 'change' + 'me';

const noSamples = { positive: () => [], negative: () => [] };

/**
 * Random characters from a charset, so no token is ever a literal in the test sources: seeded, and
 * drawn again when they spell a placeholder word the filters drop (test/support/random.ts).
 */
export { ALNUM, secretChars as randomChars } from '../support/random.js';

/** A token of the test-only "demo" provider: `dmo` + `_` + 32 alphanumerics. */
export function demoToken(): string {
  return 'dmo' + '_' + secretChars(ALNUM, 32, (body) => /[0-9]/.test(body) && /[A-Z]/.test(body) && /[a-z]/.test(body));
}

/** Test rules, defined here so engine tests do not depend on the shipped rule table. */
export const TOKEN_RULE: SecretRule = {
  id: 'demo-token',
  title: 'Demo token',
  description: 'A token of the demo provider.',
  severity: 'critical',
  category: 'provider-token',
  keywords: ['dmo_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dmo_[A-Za-z0-9]{32})(?![A-Za-z0-9_])/,
  minEntropy: 3,
  remediation: 'Revoke the demo token and issue a new one.',
  samples: noSamples,
};

export const GENERIC_RULE: SecretRule = {
  id: 'demo-generic-password',
  title: 'Generic password',
  description: 'A password assigned in code or config.',
  severity: 'high',
  category: 'generic-secret',
  keywords: ['password', 'secret'],
  pattern: /(?<key>[A-Za-z_]*(?:password|secret)[A-Za-z_]*)["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?<secret>[^\s"']{8,120})/i,
  minEntropy: 2.5,
  remediation: 'Move the password to a secret store and rotate it.',
  samples: noSamples,
};

export const DEFAULT_RULE: SecretRule = {
  id: 'default-credential-demo',
  title: 'Default database password',
  description: 'A well-known default password.',
  severity: 'high',
  category: 'default-credential',
  // Reads a compose fallback's default too (`${X:-changeme}`), as the compose-fallback rule does.
  shape: 'structure',
  keywords: ['password'],
  pattern: /(?<key>[A-Z_]*PASSWORD)[ \t]*[:=][ \t]*["']?(?:\$\{[A-Z_]+:-)?(?<secret>postgres|changeme|admin)(?![\w])/,
  remediation: 'Set a strong unique password from a secret store.',
  samples: noSamples,
};

export const PEM_RULE: SecretRule = {
  id: 'demo-private-key',
  title: 'Demo private key',
  description: 'A PEM private key block.',
  severity: 'critical',
  category: 'private-key',
  keywords: ['begin demo private key'],
  pattern: /-----BEGIN DEMO PRIVATE KEY-----\r?\n(?<secret>[A-Za-z0-9+/=\r\n]{40,4000}?)\r?\n-----END DEMO PRIVATE KEY-----/,
  remediation: 'Replace the key.',
  samples: noSamples,
};

export const NPMRC_RULE: SecretRule = {
  id: 'demo-npmrc',
  title: 'Demo npmrc token',
  description: 'A token in .npmrc.',
  severity: 'high',
  category: 'credential-file-entry',
  keywords: ['_authtoken'],
  pattern: /_authToken=(?<secret>[A-Za-z0-9]{20,})/,
  paths: ['.npmrc'],
  confirm: (match: RuleMatch) => !match.line.includes('#'),
  remediation: 'Revoke the registry token.',
  samples: noSamples,
};

export const TEST_RULES: SecretRule[] = [TOKEN_RULE, GENERIC_RULE, DEFAULT_RULE, PEM_RULE, NPMRC_RULE];

export function pemBlock(lines = 5): string {
  const body = Array.from({ length: lines }, () => secretChars(ALNUM + '+/', 64)).join('\n');
  return ['-----BEGIN DEMO PRIVATE KEY-----', body, '-----END DEMO PRIVATE KEY-----'].join('\n');
}
