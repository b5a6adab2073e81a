import { createRequire } from 'node:module';

/** Vault ACL policies for the fake server: parse `path "x" { capabilities = [...] }` and match like Vault. */

const hcl = createRequire(import.meta.url)('js-hcl-parser') as { parse(text: string): string };

export type Capability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny' | 'subscribe' | 'recover';
const CAPABILITIES = new Set<string>(['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover']);

export type PolicyRules = Map<string, Set<Capability>>;

/** Throws with Vault's `failed to parse policy: …` wording on bad input. */
export function parsePolicy(text: string): PolicyRules {
  let parsed: { path?: Array<Record<string, Array<{ capabilities?: unknown }>>> };
  try {
    parsed = JSON.parse(hcl.parse(text)) as typeof parsed;
  } catch (error) {
    throw new Error(`failed to parse policy: ${(error as Error).message}`);
  }
  const rules: PolicyRules = new Map();
  for (const block of parsed.path ?? []) {
    for (const [rawPattern, bodies] of Object.entries(block)) {
      const pattern = rawPattern.replace(/^\//, '');
      const caps = rules.get(pattern) ?? new Set<Capability>();
      for (const body of bodies) {
        const list = Array.isArray(body.capabilities) ? body.capabilities : [];
        for (const cap of list) {
          if (typeof cap !== 'string' || !CAPABILITIES.has(cap)) {
            throw new Error(`failed to parse policy: path "${pattern}": invalid capability "${String(cap)}"`);
          }
          caps.add(cap as Capability);
        }
      }
      rules.set(pattern, caps);
    }
  }
  return rules;
}

/** Union of several policies; same pattern strings merge their capabilities, as Vault does. */
export function mergeRules(policies: PolicyRules[]): PolicyRules {
  const merged: PolicyRules = new Map();
  for (const rules of policies) {
    for (const [pattern, caps] of rules) {
      const into = merged.get(pattern) ?? new Set<Capability>();
      for (const cap of caps) into.add(cap);
      merged.set(pattern, into);
    }
  }
  return merged;
}

function isGlob(pattern: string): boolean {
  return pattern.endsWith('*') || pattern.split('/').includes('+');
}

function matches(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith('*');
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('/')
    .map((segment) => (segment === '+' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}${prefix ? '[\\s\\S]*' : ''}$`).test(path);
}

function firstWildcard(pattern: string): number {
  const positions = [pattern.indexOf('+'), pattern.endsWith('*') ? pattern.length - 1 : -1].filter((p) => p >= 0);
  return positions.length ? Math.min(...positions) : pattern.length;
}

/** Negative when `a` ranks lower than `b` (Vault's "priority matching"). */
function comparePriority(a: string, b: string): number {
  const wa = firstWildcard(a);
  const wb = firstWildcard(b);
  if (wa !== wb) return wa - wb;
  const sa = a.endsWith('*') ? 1 : 0;
  const sb = b.endsWith('*') ? 1 : 0;
  if (sa !== sb) return sb - sa;
  const pa = a.split('/').filter((s) => s === '+').length;
  const pb = b.split('/').filter((s) => s === '+').length;
  if (pa !== pb) return pb - pa;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Capabilities the rules grant on `path`: the exact rule, else the top-ranked glob; `deny` removes all. */
export function capabilitiesFor(rules: PolicyRules, path: string): Set<Capability> {
  let caps = isGlob(path) ? undefined : rules.get(path);
  if (!caps) {
    const best = [...rules.keys()].filter((p) => isGlob(p) && matches(p, path)).sort(comparePriority).at(-1);
    caps = best === undefined ? undefined : rules.get(best);
  }
  if (!caps || caps.has('deny')) return new Set();
  return caps;
}

/** True when some rule could grant anything under `mountPath` (what sys/internal/ui/mounts asks). */
export function anyAccessUnder(rules: PolicyRules, mountPath: string): boolean {
  for (const [pattern, caps] of rules) {
    if (caps.has('deny') || caps.size === 0) continue;
    const literal = pattern.slice(0, firstWildcard(pattern));
    if (literal.startsWith(mountPath) || mountPath.startsWith(literal)) return true;
  }
  return false;
}
