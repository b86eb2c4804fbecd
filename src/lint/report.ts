import { RULES } from './rules/index';
import type { Finding } from './types';

/** One finding as the CLI's json prints it (1-based lines and columns), per DESIGN.md. */
export interface JsonFinding {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  rule: string; severity: string; message: string;
}

export function toJson(file: string, f: Finding): JsonFinding {
  return {
    file, line: f.range.start.line + 1, column: f.range.start.character + 1,
    endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
    rule: f.ruleId, severity: f.severity, message: f.message,
  };
}

const SARIF_LEVEL: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A SARIF 2.1.0 log with one run; `uri` maps a file path to its artifact URI. */
export function toSarif(results: { file: string; uri: string; findings: Finding[] }[], version: string, docsBase: string): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'socket-lifecycle', version, informationUri: docsBase,
          rules: RULES.map((r) => ({
            id: r.id, name: r.id, shortDescription: { text: r.title },
            helpUri: `${docsBase}#${r.id}`,
            defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] },
          })),
        },
      },
      results: results.flatMap((r) => r.findings.map((f) => ({
        ruleId: f.ruleId,
        ruleIndex: RULES.findIndex((x) => x.id === f.ruleId),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: r.uri },
            region: {
              startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1,
              endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
            },
          },
        }],
        ...(f.related ? {
          relatedLocations: [{
            id: 0,
            physicalLocation: {
              artifactLocation: { uri: r.uri },
              region: { startLine: f.related.range.start.line + 1, startColumn: f.related.range.start.character + 1 },
            },
            message: { text: f.related.message },
          }],
        } : {}),
      }))),
    }],
  };
}
