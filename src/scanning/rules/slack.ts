import type { SecretRule } from '../rule.js';
import { BASE62, DIGITS, HEX, UPPER, mixed, random, sample, tokenPattern } from './support.js';

const slackId = (): string => String(1 + Number(random('12345678', 1))) + random(DIGITS, 11);
const teamId = (letter: string): string => letter + random(UPPER + DIGITS, 10);

export const slackRules: SecretRule[] = [
  {
    id: 'slack-bot-token',
    title: 'Slack bot token',
    description: 'A Slack bot user OAuth token (`xoxb-`).',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['xoxb-'],
    pattern: tokenPattern('xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}', 'A-Za-z0-9_-'),
    minEntropy: 3,
    remediation: 'Revoke the token (api.slack.com/apps → OAuth & Permissions → Revoke) and reinstall the app for a new one.',
    samples: {
      positive: () => [
        sample('bot/.env', `SLACK_BOT_TOKEN=xoxb-${slackId()}-${slackId()}-${mixed(BASE62, 24)}`),
        sample('bot/app.js', `const app = new App({ token: 'xoxb-${slackId()}-${slackId()}-${mixed(BASE62, 24)}' });`),
      ],
      negative: () => [
        sample('bot/.env', 'SLACK_BOT_TOKEN=xoxb-your-bot-token'),
        sample('docs/slack.md', `token: xoxb-${random(DIGITS, 12)}-${random(DIGITS, 12)}-${'x'.repeat(24)}`),
      ],
    },
  },
  {
    id: 'slack-user-token',
    title: 'Slack user token',
    description: 'A Slack user OAuth token (`xoxp-`), acting as the user who installed the app.',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['xoxp-'],
    pattern: tokenPattern('xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32}', 'A-Za-z0-9_-'),
    minEntropy: 3,
    remediation: 'Revoke the token in the Slack app settings and re-authorize to obtain a new one.',
    samples: {
      positive: () => [sample('scripts/post.sh', `curl -H "Authorization: Bearer xoxp-${slackId()}-${slackId()}-${slackId()}-${random(HEX, 32)}" https://slack.com/api/chat.postMessage`)],
      negative: () => [sample('scripts/post.sh', `TOKEN=xoxp-${slackId()}-${slackId()}-${random(HEX, 32)}`)],
    },
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    description: 'A Slack app-level token (`xapp-`), used for Socket Mode.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['xapp-'],
    pattern: tokenPattern('xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[A-Za-z0-9]{32,100}', 'A-Za-z0-9_-'),
    remediation: 'Revoke the app-level token under Basic Information → App-Level Tokens and generate a new one.',
    samples: {
      positive: () => [sample('.env', `SLACK_APP_TOKEN=xapp-1-${teamId('A')}-${slackId()}-${random(HEX, 64)}`)],
      negative: () => [sample('.env', `SLACK_APP_TOKEN=xapp-1-${teamId('A')}-${slackId()}-${random(HEX, 20)}`)],
    },
  },
  {
    id: 'slack-legacy-token',
    title: 'Slack legacy or workspace token',
    description: 'A legacy or rotating Slack token (`xoxa-`, `xoxo-`, `xoxr-` refresh, `xoxs-` session, `xoxe-` configuration refresh, `xoxe.xoxp-`/`xoxe.xoxb-` rotating access, legacy `xoxb-` bot with one number).',
    severity: 'high',
    category: 'provider-token',
    keywords: ['xoxa-', 'xoxo-', 'xoxr-', 'xoxs-', 'xoxe', 'xoxb-'],
    pattern: tokenPattern('(?:xox[aorse]-[0-9]{1,13}-[A-Za-z0-9-]{20,300}|xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9-]{60,300}|xoxb-[0-9]{8,14}-[A-Za-z0-9]{18,26})', 'A-Za-z0-9_-'),
    minEntropy: 3.5,
    remediation: 'Revoke the token in Slack and migrate to a bot token with minimal scopes.',
    samples: {
      positive: () => [
        sample('legacy/slack.rb', `SLACK = "xoxs-${slackId()}-${slackId()}-${mixed(BASE62, 40)}"`),
        sample('.env', `SLACK_CONFIG_REFRESH_TOKEN=xoxe-1-${mixed(BASE62, 140)}`),
        sample('.env', `SLACK_ACCESS_TOKEN=xoxe.xoxp-1-${mixed(BASE62, 150)}`),
        sample('legacy/bot.py', `token = "xoxb-${slackId()}-${mixed(BASE62, 24)}"`),
      ],
      negative: () => [sample('legacy/slack.rb', 'SLACK = "xoxs-your-token-here"')],
    },
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    description: 'A Slack incoming-webhook URL; anyone holding it can post to the channel.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['hooks.slack.com/'],
    pattern:
      /hooks\.slack\.com\/(?=(?<secret>(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[AB][A-Z0-9]{8,12}\/[A-Za-z0-9]{20,40})(?![A-Za-z0-9]))/,
    minEntropy: 3,
    remediation: 'Remove the webhook in the Slack app configuration (Incoming Webhooks) and create a new one stored as a secret.',
    samples: {
      positive: () => [
        sample('alerting.yml', `slack_api_url: https://hooks.slack.com/services/${teamId('T')}/${teamId('B')}/${mixed(BASE62, 24)}`),
      ],
      negative: () => [
        sample('alerting.yml', 'slack_api_url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'),
        sample('README.md', 'Create a webhook at https://hooks.slack.com/services/ for your channel.'),
      ],
    },
  },
];
