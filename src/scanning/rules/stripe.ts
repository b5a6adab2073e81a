import type { SecretRule } from '../rule.js';
import { BASE62, mixed, random, sample, tokenPattern } from './support.js';

/**
 * Only live-mode secret and restricted keys are reported. Publishable keys (`pk_`) are public by design,
 * and test-mode keys (`sk_test_`, `rk_test_`) cannot move money or read live data, so reporting them would
 * be noise in most repositories.
 */
function liveKeyRule(prefix: 'sk' | 'rk', id: string, title: string): SecretRule {
  return {
    id,
    title,
    description: `A Stripe live-mode ${prefix === 'sk' ? 'secret' : 'restricted'} API key (\`${prefix}_live_\`). Test-mode and publishable keys are not reported.`,
    severity: 'critical',
    category: 'provider-token',
    keywords: [`${prefix}_live_`],
    pattern: tokenPattern(`${prefix}_live_[A-Za-z0-9]{24,247}`),
    minEntropy: 3.5,
    remediation: 'Roll the key in the Stripe Dashboard (Developers → API keys) and load the new one from a secret store.',
    samples: {
      positive: () => [
        sample('payments/.env', `STRIPE_SECRET_KEY=${prefix}_live_${mixed(BASE62, 24)}`),
        sample('payments/stripe.py', `stripe.api_key = "${prefix}_live_${mixed(BASE62, 99)}"`),
      ],
      negative: () => [
        sample('payments/.env', `STRIPE_SECRET_KEY=${prefix}_test_${mixed(BASE62, 24)}`),
        sample('web/checkout.js', `Stripe("pk_live_${mixed(BASE62, 24)}")`),
        sample('payments/.env', `STRIPE_SECRET_KEY=${prefix}_live_${random(BASE62, 10)}`),
      ],
    },
  };
}

export const stripeRules: SecretRule[] = [
  liveKeyRule('sk', 'stripe-live-secret-key', 'Stripe live secret key'),
  liveKeyRule('rk', 'stripe-live-restricted-key', 'Stripe live restricted key'),
  {
    id: 'stripe-webhook-secret',
    title: 'Stripe webhook signing secret',
    description: 'A Stripe webhook endpoint signing secret (`whsec_`); with it anyone can forge webhook events.',
    severity: 'high',
    category: 'provider-token',
    keywords: ['whsec_'],
    pattern: tokenPattern('whsec_[A-Za-z0-9+/]{32,64}', 'A-Za-z0-9_+/'),
    minEntropy: 3.5,
    remediation: 'Roll the endpoint secret in the Stripe Dashboard (Webhooks → endpoint → Roll secret).',
    samples: {
      positive: () => [sample('.env', `STRIPE_WEBHOOK_SECRET=whsec_${mixed(BASE62, 32)}`)],
      negative: () => [sample('.env', 'STRIPE_WEBHOOK_SECRET=whsec_...')],
    },
  },
];
