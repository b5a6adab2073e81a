import { CONFIG_CHANGE_RULE } from '../config/trusted.js';
import { INLINE_ALLOW_RULES } from '../core/inline-allow.js';
import { UserError } from '../core/errors.js';
import type { RuleDescriptor } from '../core/finding.js';
import { EXPIRED_IGNORE_RULE } from '../core/suppress.js';
import type { Config, ConfigSource } from '../config/types.js';
import { ROTATION_RULES } from '../rotation/index.js';
import { ruleDescriptors } from '../scanning/findings.js';
import { RULES } from '../scanning/rules/index.js';
import { envRuleDescriptors } from '../validation/env/rules.js';
import { policyRuleDescriptors } from '../validation/vault-policy/catalog.js';

/** Every built-in rule any check can report: what `scan.disable` may name (with the config's own scan.rules). */
export function knownRules(): RuleDescriptor[] {
  return [
    ...ruleDescriptors(RULES),
    ...envRuleDescriptors(),
    ...policyRuleDescriptors(),
    ...ROTATION_RULES,
    EXPIRED_IGNORE_RULE,
    CONFIG_CHANGE_RULE,
    ...INLINE_ALLOW_RULES,
  ];
}

/** `scan.disable` naming a rule no check has is a config error at its line: a typo must not pass for a switch. */
export function checkDisabledRules(config: Config, source: ConfigSource): void {
  const disable = config.scan.disable;
  if (disable.length === 0) return;
  const known = new Set([...knownRules(), ...config.scan.rules].map((r) => r.id));
  disable.forEach((id, index) => {
    if (known.has(id)) return;
    const pos = source.locate(['scan', 'disable', index]);
    throw new UserError(`scan.disable[${index}]: no rule has the id "${id}" (rule ids are listed in the README and the SARIF report)`, {
      file: source.file ?? '.keywarden.yml',
      line: pos.line,
      column: pos.column,
    });
  });
}
