import { UserError } from '../core/errors.js';

export interface VaultErrorDetails {
  /** HTTP status Vault answered, when it answered. */
  status?: number;
  /** API path (never a token or a value). */
  path?: string;
  /** A write whose outcome could not be established: the operator must look at Vault. */
  outcomeUnknown?: boolean;
  /** The secret's current version when known (write failures). */
  currentVersion?: number;
}

/**
 * A failed Vault call. A UserError, so the CLI prints one line and exits 2. Messages name the
 * address and the API path, never a token or a secret value.
 */
export class VaultError extends UserError {
  readonly status?: number;
  readonly path?: string;
  /** Vault's 403 `permission denied` (matched as a substring, as Vault's wording varies by version). */
  readonly permissionDenied: boolean;
  readonly outcomeUnknown: boolean;
  readonly currentVersion?: number;

  constructor(message: string, details: VaultErrorDetails = {}) {
    super(message);
    this.name = 'VaultError';
    this.status = details.status;
    this.path = details.path;
    this.permissionDenied = /permission denied/i.test(message);
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.currentVersion = details.currentVersion;
  }
}

/** Vault's `{"errors":["1 error occurred:\n\t* permission denied\n\n"]}` as one readable line. */
export function vaultErrorText(body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return '';
  return errors
    .map((error) => String(error))
    .flatMap((error) => {
      const bullets = [...error.matchAll(/^\t\* (.+)$/gm)].map((match) => match[1]!.trim());
      return bullets.length ? bullets : [error.trim()];
    })
    .filter(Boolean)
    .join('; ');
}
