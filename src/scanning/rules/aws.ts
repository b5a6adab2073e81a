import type { SecretRule } from '../rule.js';
import { BASE32, BASE64, DIGITS, HEX, mixed, random, sample, tokenPattern } from './support.js';

const accessKeyId = (): string => 'AKIA' + random(BASE32, 16);
const secretKey = (): string => random(BASE64, 40);

export const awsRules: SecretRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    description:
      'An AWS access key ID (AKIA long-term, ASIA temporary, ABIA/ACCA service keys). The ID alone is not a secret, but its secret key is rarely far away.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: tokenPattern('(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}', 'A-Za-z0-9'),
    minEntropy: 3,
    // AWS's documentation examples all end in EXAMPLE (AKIAIOSFODNN7EXAMPLE).
    allow: [/EXAMPLE$/],
    remediation:
      'Deactivate the access key in IAM, create a new one, store it in a secret manager or use role-based credentials (OIDC from Actions).',
    samples: {
      positive: () => [
        sample('config/aws.env', `AWS_ACCESS_KEY_ID=${accessKeyId()}`),
        sample('deploy.py', `client = boto3.client("s3", aws_access_key_id="${'ASIA' + random(BASE32, 16)}")`),
      ],
      negative: () => [
        sample('docs/aws.md', `aws_access_key_id = ${'AKIA'}IOSFODNN7${'EXAMPLE'}`),
        sample('ids.txt', `id=${'AKIA' + random(BASE32, 15)}`),
        sample('ids.txt', `arn=${'XAKIA' + random(BASE32, 16)}`),
      ],
    },
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    description: 'A 40-character AWS secret access key assigned to an AWS secret-key name, or given to it on a command line (`aws configure set aws_secret_access_key …`).',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['secret_access', 'secretaccess', 'aws_secret', 'awssecret'],
    // Glue: an assignment, or the spaces of a command line (`aws configure set aws_secret_access_key …`).
    pattern: new RegExp(`secret(?=[A-Za-z0-9_]{0,20}[ \\t"':=>]{1,12}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=]))`, 'i'),
    // The anchor is the word "secret"; the key must also name AWS or a secret access key.
    confirm: (match) => /aws_?secret|secret_?access/i.test(match.line),
    minEntropy: 4,
    allow: [/EXAMPLEKEY$/],
    remediation: 'Deactivate the key pair in IAM, issue a new one and move it to a secret manager or to OIDC role assumption.',
    samples: {
      positive: () => [
        sample('.env', `AWS_SECRET_ACCESS_KEY=${secretKey()}`),
        sample('credentials', `aws_secret_access_key = ${secretKey()}`),
        sample('src/s3.ts', `const s3 = new S3({ secretAccessKey: '${secretKey()}' });`),
        sample('scripts/setup.sh', `aws configure set aws_secret_access_key ${secretKey()} --profile ci`),
      ],
      negative: () => [
        sample('docs/aws.md', `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'EXAMPLEKEY'}`),
        sample('.env', 'AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}'),
        sample('.env', `AWS_SECRET_ACCESS_KEY=${random(BASE64, 30)}`),
      ],
    },
  },
  {
    id: 'aws-session-token',
    title: 'AWS session token',
    description: 'A temporary AWS session token (STS). Short-lived, but valid until it expires.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['session_token', 'sessiontoken', 'security_token', 'securitytoken'],
    pattern: /(?:session|security)_?token(?=["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?<secret>[A-Za-z0-9/+]{100,2000}))/i,
    minEntropy: 4.5,
    remediation: 'Revoke the session (deny tokens issued before now on the role) and stop committing temporary credentials.',
    samples: {
      positive: () => [sample('.aws/credentials', `aws_session_token = IQoJb3JpZ2luX2VjE${mixed(BASE64, 300)}`)],
      negative: () => [sample('.env', 'AWS_SESSION_TOKEN=${AWS_SESSION_TOKEN}')],
    },
  },
  {
    id: 'aws-mws-auth-token',
    title: 'Amazon MWS auth token',
    description: 'An Amazon Marketplace Web Service auth token.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['amzn.mws.'],
    pattern: tokenPattern('amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', 'A-Za-z0-9'),
    remediation: 'Revoke the token in Seller Central and issue a new one.',
    samples: {
      positive: () => [
        sample(
          'mws.properties',
          `mws.token=amzn.mws.${random(HEX, 8)}-${random(HEX, 4)}-${random(HEX, 4)}-${random(HEX, 4)}-${random(HEX, 12)}`,
        ),
      ],
      negative: () => [sample('mws.properties', `mws.token=amzn.mws.${random(DIGITS, 8)}`)],
    },
  },
];
