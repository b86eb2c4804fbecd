import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { l10n } from '../l10n';
import { lintText, SKIM_ABOVE } from '../lint/analyzer';
import { languageFor, type LintLanguage } from '../lint/grammars';
import { toJson, toSarif } from '../lint/report';
import type { Finding } from '../lint/types';
import { type CliCommand, parseFlags, UsageError } from './command';
import { loadGrammarsForRun } from './v8Tuning';

declare const SOCKET_LIFECYCLE_VERSION: string;

const FORMATS = ['text', 'json', 'sarif'] as const;
const SKIP_DIRS = new Set(['node_modules', '.git']);
/** The rule explanations shipped beside the CLI (dist/cli.js -> ../docs), as SARIF's help links. */
const DOCS = pathToFileURL(join(__dirname, '..', 'docs', 'lint-rules.md')).href;

/** Files to lint under `path`: the file itself, or every C/C++/Python file below a folder. Returns their total size in bytes. */
function collect(path: string, out: string[]): number {
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(path);
    return st.size;
  }
  let bytes = 0;
  for (const name of readdirSync(path).sort()) {
    if (SKIP_DIRS.has(name)) {
      continue;
    }
    const child = join(path, name);
    const s = statSync(child);
    if (s.isDirectory()) {
      bytes += collect(child, out);
    } else if (languageFor(name)) {
      out.push(child);
      bytes += s.size;
    }
  }
  return bytes;
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: l10n.t('find socket lifecycle bugs in C, C++ and Python files'),
  get usage() {
    return l10n.t('Usage: socket-lifecycle lint [--format text|json|sarif] PATH...\n\nChecks C, C++ and Python files (folders are searched) for socket lifecycle bugs.\nExit 1 when there are findings, 2 on a usage error.');
  },
  async run(args, io) {
    const { flags, positional } = parseFlags(args, { format: 'string' });
    const format = (flags.format as string | undefined) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(l10n.t('unknown format \'{format}\' (text, json or sarif)', { format }));
    }
    if (positional.length === 0) {
      throw new UsageError(l10n.t('no PATH given'));
    }
    const files: string[] = [];
    let bytes = 0;
    for (const p of positional) {
      if (!existsSync(p)) {
        throw new UsageError(l10n.t('no such file or folder: {path}', { path: p }));
      }
      bytes += collect(p, files);
    }
    // Only the grammars these files need: compiling the others is most of a cold start's load.
    const languages = files.map((f) => languageFor(f)).filter((l): l is LintLanguage => l !== undefined);
    const grammars = await loadGrammarsForRun(join(__dirname, 'grammars'), languages, bytes);
    const results: { file: string; uri: string; findings: Finding[] }[] = [];
    let total = 0;
    for (const file of files) {
      const language = languageFor(file);
      if (!language) {
        // Only a file named on the command line gets here (a folder's search keeps just these languages).
        io.stderr.write(l10n.t('{path}: skipped, not a C, C++ or Python file (.c .h .cc .cpp .cxx .hpp .hh .py)', { path: file }) + '\n');
        continue;
      }
      const r = lintText(grammars, readFileSync(file, 'utf8'), language, { timeoutMs: 10_000, skimAbove: SKIM_ABOVE });
      for (const n of r.notices) {
        io.stderr.write(`${file}: ${n.message}\n`);
      }
      total += r.findings.length;
      const shown = relative(process.cwd(), resolve(file)) || file;
      results.push({ file: shown, uri: shown.startsWith('..') ? pathToFileURL(resolve(file)).href : shown.split('\\').join('/'), findings: r.findings });
    }
    if (format === 'json') {
      io.stdout.write(JSON.stringify(results.flatMap((r) => r.findings.map((f) => toJson(r.file, f))), null, 2) + '\n');
    } else if (format === 'sarif') {
      io.stdout.write(JSON.stringify(toSarif(results, SOCKET_LIFECYCLE_VERSION, DOCS), null, 2) + '\n');
    } else {
      for (const r of results) {
        for (const f of r.findings) {
          io.stdout.write(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.ruleId}: ${f.message}\n`);
        }
      }
      io.stdout.write(l10n.t('{count} finding(s) in {files} file(s)', { count: total, files: results.length }) + '\n');
    }
    return total > 0 ? 1 : 0;
  },
};
