import type { SecretRule } from '../rule.js';
import { awsRules } from './aws.js';
import { azureRules } from './azure.js';
import { dockerRules } from './docker.js';
import { githubRules } from './github.js';
import { gitlabRules } from './gitlab.js';
import { googleRules } from './google.js';
import { npmRules } from './npm.js';
import { privateKeyRules } from './private-keys.js';
import { pypiRules } from './pypi.js';
import { slackRules } from './slack.js';
import { stripeRules } from './stripe.js';
import { vaultRules } from './vault.js';

/** Every secret and default-credential rule, one file per provider family. */
export const RULES: SecretRule[] = [
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
];
