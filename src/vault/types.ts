/** The Vault client's contract, used by rotation and by `validate --live`. */

export type KvVersion = 1 | 2;

export interface KvSecret {
  data: Record<string, unknown>;
  /** KV v2: the version read; KV v1: null. */
  version: number | null;
  /** KV v2: RFC 3339 creation time of that version. */
  createdTime?: string;
}

export interface KvVersionInfo {
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

export interface KvMetadata {
  currentVersion: number;
  createdTime: string;
  updatedTime: string;
  customMetadata: Record<string, string>;
  versions: Record<string, KvVersionInfo>;
  casRequired: boolean;
}

export interface WriteResult {
  version: number;
  /** True when the answer was lost and the write was confirmed by reading back. */
  confirmedByReadBack: boolean;
}

export interface VaultClient {
  readonly address: string;
  /** Detected per mount (sys/internal/ui/mounts), cached. */
  kvVersion(mount: string): Promise<KvVersion>;
  /** null when the secret does not exist (404); KV v2 reads `version` when given, else the latest. */
  readSecret(mount: string, path: string, version?: number): Promise<KvSecret | null>;
  /** KV v2 only; null when the secret does not exist. */
  readMetadata(mount: string, path: string): Promise<KvMetadata | null>;
  /**
   * KV v2: writes a new version with check-and-set `cas` (0 = must not exist).
   * An unknown outcome (dropped connection, 5xx after sending) is never re-sent blindly:
   * the client reads back and reports success only if the new version holds `data`.
   */
  writeSecret(mount: string, path: string, data: Record<string, unknown>, cas: number): Promise<WriteResult>;
  /** KV v2: merges (PATCH, RFC 7386) keys into custom_metadata; a null value removes the key. */
  patchCustomMetadata(mount: string, path: string, values: Record<string, string | null>): Promise<void>;
  listPolicies(): Promise<string[]>;
  /** Raw policy text, or null when it does not exist. */
  readPolicy(name: string): Promise<string | null>;
}
