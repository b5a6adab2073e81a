import type { SecretRule } from '../rule.js';
import { BASE62, BASE64URL, LOWER, UPPER, mixed, sample, tokenPattern } from './support.js';

/** Every OpenAI secret key embeds the base64 of "openai" (`T3BlbkFJ`) between two random halves. */
const OPENAI_MARK = 'T3BlbkFJ';

export const aiRules: SecretRule[] = [
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    description: `An OpenAI project, service-account or admin key (\`sk-proj-\`, \`sk-svcacct-\`, \`sk-admin-\`) carrying the \`${OPENAI_MARK}\` marker.`,
    severity: 'critical',
    category: 'provider-token',
    keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'],
    pattern: tokenPattern('sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}', 'A-Za-z0-9_-'),
    confirm: (match) => match.secret.includes(OPENAI_MARK),
    remediation: 'Revoke the key at platform.openai.com → API keys and keep its replacement in a secret store.',
    samples: {
      positive: () => [
        sample('.env', `OPENAI_API_KEY=sk-proj-${mixed(BASE64URL, 74)}${OPENAI_MARK}${mixed(BASE64URL, 74)}`),
        sample('agent.py', `client = OpenAI(api_key="sk-svcacct-${mixed(BASE64URL, 60)}${OPENAI_MARK}${mixed(BASE64URL, 60)}")`),
      ],
      negative: () => [sample('.env', `OPENAI_API_KEY=sk-proj-${mixed(BASE64URL, 90)}`)],
    },
  },
  {
    id: 'openai-api-key-legacy',
    title: 'OpenAI API key (legacy format)',
    description: `A legacy OpenAI user key: \`sk-\` + 20 + \`${OPENAI_MARK}\` + 20 characters.`,
    severity: 'critical',
    category: 'provider-token',
    keywords: ['t3blbkfj'],
    pattern: tokenPattern(`sk-[A-Za-z0-9]{20}${OPENAI_MARK}[A-Za-z0-9]{20}`, 'A-Za-z0-9_-'),
    remediation: 'Revoke the key at platform.openai.com → API keys and create a project key instead.',
    samples: {
      positive: () => [sample('notebook.py', `openai.api_key = "sk-${mixed(BASE62, 20)}${OPENAI_MARK}${mixed(BASE62, 20)}"`)],
      negative: () => [sample('notebook.py', `openai.api_key = "sk-${mixed(BASE62, 48)}"`)],
    },
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    description: 'An Anthropic API or admin key (`sk-ant-api03-`, `sk-ant-admin01-`).',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['sk-ant-'],
    pattern: tokenPattern('sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,120}', 'A-Za-z0-9_-'),
    minEntropy: 4,
    remediation: 'Delete the key in the Anthropic Console (Settings → API keys) and store its replacement as a secret.',
    samples: {
      positive: () => [sample('.env', `ANTHROPIC_API_KEY=sk-ant-api03-${mixed(BASE64URL, 93)}AA`)],
      negative: () => [sample('.env', 'ANTHROPIC_API_KEY=sk-ant-api03-...')],
    },
  },
  {
    id: 'huggingface-token',
    title: 'Hugging Face access token',
    description: 'A Hugging Face user access token (`hf_` + 34 letters) or organization API token (`api_org_` + 34 letters).',
    severity: 'high',
    category: 'provider-token',
    keywords: ['hf_', 'api_org_'],
    pattern: tokenPattern('(?:hf_|api_org_)[A-Za-z0-9]{34}'),
    minEntropy: 3.8,
    remediation: 'Invalidate the token at huggingface.co → Settings → Access Tokens.',
    samples: {
      positive: () => [
        sample('train.py', `login(token="hf_${mixed(LOWER + UPPER, 34)}")`),
        sample('.env', `HF_ORG_TOKEN=api_org_${mixed(LOWER + UPPER, 34)}`),
      ],
      negative: () => [sample('train.py', `model_id = "hf_${'a'.repeat(34)}"`)],
    },
  },
  {
    id: 'groq-api-key',
    title: 'Groq API key',
    description: 'A Groq API key (`gsk_` + 52 characters).',
    severity: 'high',
    category: 'provider-token',
    keywords: ['gsk_'],
    pattern: tokenPattern('gsk_[A-Za-z0-9]{52}'),
    minEntropy: 4,
    remediation: 'Delete the key in the Groq console and create a new one.',
    samples: {
      positive: () => [sample('.env', `GROQ_API_KEY=gsk_${mixed(BASE62, 52)}`)],
      negative: () => [sample('.env', `GROQ_API_KEY=gsk_${mixed(BASE62, 30)}`)],
    },
  },
];
