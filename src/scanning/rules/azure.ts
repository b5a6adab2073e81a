import type { SecretRule } from '../rule.js';
import { BASE64, mixed, sample, tokenPattern } from './support.js';

const storageKey = (): string => mixed(BASE64, 86) + '==';
const sasKey = (): string => mixed(BASE64, 43) + '=';

export const azureRules: SecretRule[] = [
  {
    id: 'azure-storage-account-key',
    title: 'Azure storage account key',
    description: 'An Azure storage account key (88 base64 characters) in a connection string or `AccountKey` setting.',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['accountkey'],
    pattern: /AccountKey(?=["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?<secret>[A-Za-z0-9+/]{86}==))/i,
    minEntropy: 4.5,
    // Azurite, the local storage emulator, uses one well-known public key.
    allow: [/^Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/],
    remediation: 'Rotate the key (Storage account → Access keys → Rotate) and prefer managed identities or SAS with short expiry.',
    samples: {
      positive: () => [
        sample(
          'appsettings.json',
          `"Storage": "DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=${storageKey()};EndpointSuffix=core.windows.net"`,
        ),
        sample('terraform.tfvars', `storage_account_key = "${storageKey()}"`.replace('storage_account_key', 'AccountKey')),
      ],
      negative: () => [
        sample('appsettings.json', '"Storage": "DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=<key>"'),
        sample('local.settings.json', `"AzureWebJobsStorage": "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq${'/K1SZFPTOtr/KBHBeksoGMGw=='}"`),
      ],
    },
  },
  {
    id: 'azure-shared-access-key',
    title: 'Azure Service Bus / Event Hubs shared access key',
    description: 'A `SharedAccessKey=` in an Azure Service Bus, Event Hubs or IoT Hub connection string.',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['sharedaccesskey='],
    pattern: /SharedAccessKey=(?=(?<secret>[A-Za-z0-9+/]{42,43}=)(?![A-Za-z0-9+/=]))/,
    minEntropy: 4,
    remediation: 'Regenerate the shared access policy keys in the Azure portal and use managed identities where possible.',
    samples: {
      positive: () => [
        sample(
          'appsettings.Production.json',
          `"Bus": "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${sasKey()}"`,
        ),
      ],
      negative: () => [sample('appsettings.json', '"Bus": "Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey={key}"')],
    },
  },
  {
    id: 'azure-sas-token',
    title: 'Azure shared access signature',
    description: 'An Azure SAS URL or token: a signed-version `sv=` query with its `sig=` signature.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['sig='],
    pattern: /[?&]sig=(?<secret>[A-Za-z0-9%+/]{40,100})(?![A-Za-z0-9%+/])/,
    minEntropy: 4,
    confirm: (match) => /[?&]sv=20\d\d-\d\d-\d\d/.test(match.line),
    remediation: 'Revoke the SAS (rotate the account key it was signed with, or delete its stored access policy) and issue short-lived SAS at run time.',
    samples: {
      positive: () => [
        sample(
          'scripts/upload.sh',
          `az storage blob upload --blob-url "https://shop.blob.core.windows.net/backups/db.gz?sv=2022-11-02&ss=b&srt=o&sp=rw&se=2030-01-01T00:00:00Z&sig=${mixed(BASE64, 43)}%3D"`,
        ),
      ],
      negative: () => [sample('docs/urls.md', `https://example.org/img.png?w=100&sig=${mixed(BASE64, 43)}`)],
    },
  },
  {
    id: 'azure-ad-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    description: 'An Entra ID application client secret (40 characters with `Q~` at position 4).',
    severity: 'critical',
    category: 'provider-token',
    keywords: ['q~'],
    pattern: tokenPattern('[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}', 'A-Za-z0-9_~.-'),
    minEntropy: 3.5,
    remediation: 'Delete the secret under App registrations → Certificates & secrets, and prefer federated credentials.',
    samples: {
      positive: () => [sample('.env', `AZURE_CLIENT_SECRET=${mixed(BASE64.slice(0, 62), 3)}8Q~${mixed(BASE64.slice(0, 62), 34)}`)],
      negative: () => [sample('.env', 'AZURE_CLIENT_SECRET=abc8Q~')],
    },
  },
];
