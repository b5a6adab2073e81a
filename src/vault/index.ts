export { connectVault, resolveVaultSettings, type ConnectOptions, type VaultSettings } from './connect.js';
export { VaultError } from './errors.js';
export type { KvMetadata, KvSecret, KvVersion, KvVersionInfo, VaultClient, WriteResult } from './types.js';
