/** The commented starter config `keywarden init` writes. Every key is optional. */
export const STARTER_CONFIG = `# yaml-language-server: $schema=https://raw.githubusercontent.com/keywarden/keywarden/main/schemas/keywarden.schema.json
# keywarden configuration. Every section is optional; delete what you do not use.
# Unknown keys are errors, so a typo cannot silently switch a check off.

scan:
  # Globs (relative to the repository root) never scanned.
  exclude:
    - "test/fixtures/**"
  # Files larger than this are skipped and reported as a note.
  max-file-size: 10MiB
  # Accepted findings. A reason is required; an entry past its expiry date is an error.
  ignore: []
  #  - rule: default-credential-env-assignment
  #    paths: ["docker-compose.dev.yml"]
  #    reason: local development only, never deployed
  #    expires: 2027-06-30
  # Findings listed in a baseline (written by "keywarden baseline") are not reported again.
  # baseline: .keywarden-baseline.json

# .env files to validate, with a built-in preset or your own JSON Schema.
env: []
#  - files: "deploy/**/.env"
#    preset: status-panel        # status-panel | leyzen-vault | medic-agent
#    production: true
#    allow-public-bind: false

# Vault: policy files to lint, and the server rotation talks to.
vault:
  # address: https://vault.example.com     # default: VAULT_ADDR or VAULT_ADDRESS
  # auth: { method: jwt, role: keywarden-rotator, audience: https://github.com/OWNER }
  kv-v2-mounts: []
  policies: []                   # e.g. ["vault/policies/*.hcl"]
  allowed-paths: []              # e.g. ["status_panel/data/+/token"]

# Secrets whose age is checked and which "keywarden rotate" rotates.
rotation:
  warn-at: 80%
  max-per-run: 1
  secrets: []
  #  - name: status-agent-token
  #    mount: status_panel
  #    path: deployment-123-abc/token
  #    key: token
  #    max-age: 30d
  #    generate: { format: hex, bytes: 32 }
  #    verify: { url: https://agent.example.com/health, max-token-age: 10m }

# Age of GitHub Actions secrets (needs a token that can read secrets).
# github-secrets:
#   max-age: 90d
`;
