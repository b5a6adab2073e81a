import type { SecretRule } from '../rule.js';
import { ASSIGN, BASE62, BASE64URL, DIGITS, HEX, mixed, random, sample, tokenPattern } from './support.js';

const botId = (): string => random('123456789', 1) + random(DIGITS, 9);

export const messagingRules: SecretRule[] = [
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    description: 'A SendGrid API key (`SG.` + 22 + `.` + 43 characters).',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['sg.'],
    pattern: tokenPattern('SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', 'A-Za-z0-9_.-'),
    minEntropy: 4,
    remediation: 'Delete the key in SendGrid (Settings → API Keys) and create a restricted replacement stored as a secret.',
    samples: {
      positive: () => [sample('mailer/.env', `SENDGRID_API_KEY=SG.${mixed(BASE64URL, 22)}.${mixed(BASE64URL, 43)}`)],
      negative: () => [sample('mailer/.env', `SENDGRID_API_KEY=SG.${mixed(BASE64URL, 22)}.${mixed(BASE64URL, 20)}`)],
    },
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key SID',
    description: 'A Twilio API key SID (`SK` + 32 hex) next to Twilio or key context; its secret is usually nearby.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['sk'],
    pattern: tokenPattern('SK[0-9a-f]{32}', 'A-Za-z0-9_'),
    minEntropy: 3,
    confirm: (match) => /twilio|api[_-]?key|sid|secret/i.test(match.line.replace(match.secret, '')),
    remediation: 'Delete the API key in the Twilio Console (Account → API keys) and create a new one.',
    samples: {
      positive: () => [sample('sms/settings.py', `TWILIO_API_KEY = "SK${random(HEX, 32)}"`)],
      negative: () => [sample('assets/manifest.json', `"checksum": "SK${random(HEX, 32)}"`)],
    },
  },
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    description: 'A Twilio account auth token (32 hex) assigned to an auth-token name, on a line naming Twilio or an `AC` account SID.',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['auth_token', 'authtoken'],
    pattern: new RegExp(`auth_?token(?=${ASSIGN}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z]))`, 'i'),
    minEntropy: 3,
    confirm: (match) => /twilio|AC[0-9a-f]{32}/i.test(match.line.replace(match.secret, '')),
    remediation: 'Rotate the auth token in the Twilio Console (promote the secondary token) and use API keys instead.',
    samples: {
      positive: () => [sample('.env', `TWILIO_AUTH_TOKEN=${random(HEX, 32)}`)],
      negative: () => [sample('.env', `GITLAB_AUTH_TOKEN=${random(HEX, 32)}`)],
    },
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key',
    description: 'A Mailgun private API key (`key-` + 32 hex) on a line that names Mailgun or an API key.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['key-'],
    pattern: tokenPattern('key-[0-9a-f]{32}', 'A-Za-z0-9_-'),
    minEntropy: 3,
    // `key-<md5>` is also a common cache-key shape; require Mailgun or API-key context.
    confirm: (match) => /mailgun|api[_-]?key|mg[_-]|apikey/i.test(match.line.replace(match.secret, '')),
    remediation: 'Regenerate the key in Mailgun (Settings → API Security) and store it as a secret.',
    samples: {
      positive: () => [sample('config/mail.yml', `mailgun_api_key: key-${random(HEX, 32)}`)],
      negative: () => [sample('src/cache.js', `const cacheKey = 'key-${random(HEX, 32)}';`)],
    },
  },
  {
    id: 'mailchimp-api-key',
    title: 'Mailchimp API key',
    description: 'A Mailchimp Marketing API key (32 hex + `-us` + datacenter number).',
    severity: 'high',
    category: 'provider-token',
    keywords: ['-us'],
    pattern: tokenPattern('[0-9a-f]{32}-us[0-9]{1,2}', 'A-Za-z0-9_-'),
    minEntropy: 3,
    remediation: 'Revoke the key in Mailchimp (Account → Extras → API keys) and create a new one.',
    samples: {
      positive: () => [sample('newsletter/.env', `MAILCHIMP_API_KEY=${random(HEX, 32)}-us${1 + Number(random('123456789', 1))}`)],
      negative: () => [sample('newsletter/.env', `MAILCHIMP_LIST=${random(HEX, 10)}-us1`)],
    },
  },
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    description: 'A Telegram Bot API token (8–10 digit bot id, `:`, 35 characters starting `AA`) in a Telegram or bot context.',
    severity: 'high',
    category: 'provider-token',
    keywords: [':aa'],
    // The bot API puts the token right after `/bot` in URLs, so only a digit may not precede it.
    pattern: tokenPattern('[0-9]{8,10}:AA[A-Za-z0-9_-]{33}', 'A-Za-z0-9_-', '', '0-9'),
    minEntropy: 3.5,
    confirm: (match) => /telegram|bot|tg[_-]/i.test(match.line.replace(match.secret, '')),
    remediation: 'Revoke the token with @BotFather (/revoke) and store the new one as a secret.',
    samples: {
      positive: () => [
        sample('bot/.env', `TELEGRAM_BOT_TOKEN=${botId()}:AA${mixed(BASE64URL, 33)}`),
        sample('notify.sh', `curl "https://api.telegram.org/bot${botId()}:AA${mixed(BASE64URL, 33)}/sendMessage"`),
      ],
      negative: () => [sample('data/times.csv', `${botId()}:AA${mixed(BASE64URL, 33)}`)],
    },
  },
  {
    id: 'discord-bot-token',
    title: 'Discord bot token',
    description: 'A Discord bot token (base64 user id, `.`, timestamp, `.`, HMAC) assigned to a Discord-named key.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['discord'],
    pattern: new RegExp(
      `discord(?=[A-Za-z0-9_]{0,30}${ASSIGN}(?<secret>[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}))`,
      'i',
    ),
    minEntropy: 4,
    remediation: 'Reset the token in the Discord Developer Portal (Bot → Reset Token).',
    samples: {
      positive: () => [sample('bot/.env', `DISCORD_TOKEN=M${mixed(BASE62, 25)}.${mixed(BASE64URL, 6)}.${mixed(BASE64URL, 38)}`)],
      negative: () => [sample('bot/.env', 'DISCORD_TOKEN=your-bot-token')],
    },
  },
  {
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    description: 'A Discord webhook URL; anyone holding it can post to the channel.',
    severity: 'medium',
    category: 'provider-token',
    keywords: ['/api/webhooks/'],
    pattern: /discord(?:app)?\.com\/api\/webhooks\/(?=(?<secret>[0-9]{17,20}\/[A-Za-z0-9_-]{60,68})(?![A-Za-z0-9_-]))/,
    minEntropy: 3.5,
    remediation: 'Delete the webhook in the channel settings (Integrations → Webhooks) and create a new one stored as a secret.',
    samples: {
      positive: () => [
        sample('alerts.yml', `webhook: https://discord.com/api/webhooks/${random(DIGITS, 18)}/${mixed(BASE64URL, 68)}`),
      ],
      negative: () => [sample('alerts.yml', 'webhook: https://discord.com/api/webhooks/<id>/<token>')],
    },
  },
];
