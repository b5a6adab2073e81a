// Proportions with Wilson 95% intervals, seeded uniform samples, and the stratified estimate used when some
// repositories' findings are labelled on a sample rather than in full.

const Z = 1.959964;

/** Wilson score interval for `successes` out of `n` (n may be fractional: an effective sample size). */
export function wilson(successes, n) {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = Z * Z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A proportion with its interval: { value, successes, n, low, high }. */
export function proportion(successes, n) {
  return { value: n === 0 ? null : successes / n, successes, n, ...wilson(successes, n) };
}

/**
 * Precision over strata (repositories): each stratum has `population` findings of which `labelled` were
 * labelled (all of them, or a uniform sample) and `tp` were true. The estimate weights each stratum by its
 * population; the interval is Wilson's at Kish's effective sample size p(1-p)/var, where the variance has a
 * finite-population correction (a stratum labelled in full contributes none).
 */
export function stratified(strata) {
  const used = strata.filter((s) => s.labelled > 0);
  const population = used.reduce((sum, s) => sum + s.population, 0);
  const labelled = used.reduce((sum, s) => sum + s.labelled, 0);
  if (population === 0) return { value: null, n: 0, population: 0, low: 0, high: 1, sampled: false };
  const sampled = used.some((s) => s.labelled < s.population);
  if (!sampled) {
    const tp = used.reduce((sum, s) => sum + s.tp, 0);
    return { ...proportion(tp, labelled), population, sampled };
  }
  let estimate = 0;
  let variance = 0;
  for (const s of used) {
    const w = s.population / population;
    const p = s.tp / s.labelled;
    estimate += w * p;
    if (s.labelled > 1) variance += w * w * (1 - s.labelled / s.population) * ((p * (1 - p)) / (s.labelled - 1));
  }
  const nEff = variance > 0 ? Math.min(population, (estimate * (1 - estimate)) / variance) : labelled;
  return { value: estimate, successes: estimate * nEff, n: labelled, nEffective: nEff, population, sampled, ...wilson(estimate * nEff, nEff) };
}

/** mulberry32: a small seeded PRNG, so that a sample is the same on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash32(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A uniform sample of `size` items, the same for the same items and seed text (items are sorted first). */
export function seededSample(items, size, seedText, keyOf) {
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  if (sorted.length <= size) return sorted;
  const random = prng(hash32(seedText));
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (sorted.length - i));
    [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
  }
  return sorted.slice(0, size);
}
