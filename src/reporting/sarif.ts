import type * as Sarif from 'sarif';
import { compareFindings, levelOf, scoreOf, type Confidence, type Finding, type RuleDescriptor } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { jsonText, printable, uriPath } from './escape.js';
import { rulesOf } from './findings.js';

/** SARIF `rank` (0–100, how relevant a result is) from the finding's confidence. */
const CONFIDENCE_RANK: Record<Confidence, number> = { high: 90, medium: 60, low: 30 };

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning keeps at most 25,000 results per run. */
export const MAX_SARIF_RESULTS = 25_000;
/** Versioned so that a change of fingerprint recipe never collides with older alerts. */
export const FINGERPRINT_KEY = 'keywarden/v1';
const MAX_TAGS = 20;

/** SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`). */
export function buildSarif(report: Report): Sarif.Log {
  const rules = [...rulesOf(report).values()];
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));

  // Active findings before suppressed ones, most severe first: what survives the cap matters most.
  const ordered = [...report.findings].sort(
    (a, b) => Number(Boolean(a.suppression)) - Number(Boolean(b.suppression)) || compareFindings(a, b),
  );
  const kept = ordered.slice(0, MAX_SARIF_RESULTS);

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: rules.map(sarifRule),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: kept.map((f) => sarifResult(f, ruleIndex.get(f.ruleId) ?? -1)),
        properties: {
          command: report.command,
          resultLimit: MAX_SARIF_RESULTS,
          resultsDropped: ordered.length - kept.length,
        },
      },
    ],
  };
}

export function renderSarif(report: Report): string {
  return `${jsonText(JSON.stringify(buildSarif(report), null, 2))}\n`;
}

/** `github-pat-classic` → `GithubPatClassic`. */
export function pascalCase(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return name || 'Rule';
}

function sarifRule(rule: RuleDescriptor): Sarif.ReportingDescriptor {
  const tags = [...new Set(['security', rule.check, ...(rule.tags ?? [])])].slice(0, MAX_TAGS);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription },
    help: {
      text: rule.help,
      markdown: `**${rule.name}**\n\n${rule.fullDescription}\n\n${rule.help}`,
    },
    defaultConfiguration: { level: levelOf(rule.severity) },
    properties: {
      'security-severity': scoreOf(rule.severity).toFixed(1),
      tags,
      // Pattern-specific rules are reliable; generic (keyword + entropy) ones are heuristics.
      precision: tags.some((t) => t === 'generic-secret' || t === 'heuristic') ? 'medium' : 'high',
    },
  };
}

function sarifResult(f: Finding, ruleIndex: number): Sarif.Result {
  const startLine = Math.max(1, f.startLine);
  const endLine = Math.max(startLine, f.endLine);
  const region: Sarif.Region = { startLine };
  if (f.startColumn !== undefined && f.startColumn >= 1) region.startColumn = f.startColumn;
  region.endLine = endLine;
  if (region.startColumn !== undefined && f.endColumn !== undefined && (endLine > startLine || f.endColumn > region.startColumn)) {
    region.endColumn = f.endColumn;
  }
  // Message and snippet are shown by code scanning: escaped as in every other human-facing output.
  if (f.snippet) region.snippet = { text: printable(f.snippet) };

  const result: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.level,
    rank: CONFIDENCE_RANK[f.confidence],
    message: { text: printable(f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriPath(f.file), uriBaseId: '%SRCROOT%' },
          region,
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: { check: f.check, severity: f.severity, confidence: f.confidence, ...(f.commit ? { commit: f.commit } : {}) },
  };
  if (f.suppression) {
    result.suppressions = [
      {
        kind: f.suppression.kind === 'inline' ? 'inSource' : 'external',
        status: 'accepted',
        justification: f.suppression.justification,
      },
    ];
  }
  return result;
}
