import type { SecretRule } from '../rule.js';
import { aiRules } from './ai.js';
import { awsRules } from './aws.js';
import { azureRules } from './azure.js';
import { cloudRules } from './cloud.js';
import { commandLineRules } from './command-lines.js';
import { connectionStringRules } from './connection-strings.js';
import { credentialFileRules } from './credential-files.js';
import { defaultCredentialRules } from './default-credentials.js';
import { dockerRules } from './docker.js';
import { genericRules } from './generic.js';
import { githubRules } from './github.js';
import { gitlabRules } from './gitlab.js';
import { googleRules } from './google.js';
import { jwtRules } from './jwt.js';
import { messagingRules } from './messaging.js';
import { npmRules } from './npm.js';
import { privateKeyRules } from './private-keys.js';
import { pypiRules } from './pypi.js';
import { slackRules } from './slack.js';
import { stripeRules } from './stripe.js';
import { vaultRules } from './vault.js';

/** Rules for one recognisable kind of secret; the generic rules defer to them. */
const SPECIFIC_RULES: SecretRule[] = [
  ...awsRules,
  ...githubRules,
  ...gitlabRules,
  ...slackRules,
  ...stripeRules,
  ...googleRules,
  ...azureRules,
  ...privateKeyRules,
  ...vaultRules,
  ...npmRules,
  ...pypiRules,
  ...dockerRules,
  ...messagingRules,
  ...aiRules,
  ...cloudRules,
  ...jwtRules,
  ...connectionStringRules,
  ...credentialFileRules,
  ...commandLineRules,
];

/** Every secret and default-credential rule, one file per provider family; specific rules before generic ones. */
export const RULES: SecretRule[] = [...SPECIFIC_RULES, ...genericRules(SPECIFIC_RULES), ...defaultCredentialRules];

/** Ids a repository's own `scan.rules` may not take. */
export const BUILT_IN_RULE_IDS: ReadonlySet<string> = new Set(RULES.map((rule) => rule.id));
