import { redactText } from './redact.js';

/**
 * An error the user can fix (bad config, bad arguments, unreachable Vault): reported as one
 * clear line, exit code 2, never a stack trace.
 */
export class UserError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(message: string, where?: { file?: string; line?: number; column?: number }) {
    super(message);
    this.name = 'UserError';
    this.file = where?.file;
    this.line = where?.line;
    this.column = where?.column;
  }

  /** `file:line:column: message`, the form editors and terminals link. */
  describe(): string {
    if (!this.file) return this.message;
    const pos = [this.file, this.line, this.column].filter((p) => p !== undefined).join(':');
    return `${pos}: ${this.message}`;
  }
}

/** One line for any error, through the redaction guard: error texts of libraries may quote what they were given. */
export function describeError(error: unknown): string {
  if (error instanceof UserError) return redactText(error.describe());
  if (error instanceof Error) return redactText(error.message);
  return redactText(String(error));
}
