import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * A small heuristic that finds user-visible text which bypasses l10n, as `file:line  why`.
 *
 * Only literal text is judged: a string or template literal whose fixed parts still hold words
 * once codicons (`$(plug)`), option flags (`--port`), the program name and punctuation are
 * removed. Text inside `l10n.t(...)` / `vscode.l10n.t(...)` is fine by construction.
 *
 * - Files importing `vscode`: literals given to the UI (message boxes, quick picks, input boxes,
 *   terminals, progress, webview titles, diagnostics, code actions) and literals assigned to
 *   UI-facing properties (`text`, `tooltip`, `title`, `label`, `placeHolder`, ...).
 * - `src/cli/**`: sentences (three words or more) anywhere outside `l10n.t`.
 * - Everywhere: a bare `t('...')` translator alias, which @vscode/l10n-dev cannot export.
 *   (`l10n.t` at module load is fine: extension.ts and cli.ts import their translator first.)
 */
export interface Offender {
  file: string;
  line: number;
  why: string;
  text: string;
}

/** Properties whose string value a user reads (status bar, quick pick, input box, terminal, ...). */
const TEXT_PROPERTIES = new Set(['text', 'tooltip', 'title', 'label', 'description', 'detail',
  'placeHolder', 'placeholder', 'prompt', 'validationMessage', 'message', 'name']);
/** `name` is text only where VS Code shows it; elsewhere it is usually an identifier. */
const NAME_IS_TEXT_IN = new Set(['createTerminal', 'createStatusBarItem']);
/** Calls whose string arguments are shown as they are. */
const TEXT_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage',
  'setStatusBarMessage', 'createTerminal', 'createOutputChannel', 'showQuickPick', 'appendMarkdown', 'appendText']);
/** Calls whose argument at this index is shown (createWebviewPanel(viewType, title, ...)). */
const TEXT_ARGUMENT: Record<string, number> = { createWebviewPanel: 1 };
/** Constructors whose string arguments are shown. */
const TEXT_CONSTRUCTORS = new Set(['Diagnostic', 'CodeAction', 'TreeItem', 'MarkdownString', 'Hover', 'CodeLens']);

/** The words left once non-text is removed: codicons, flags, URLs, ids, the program name. */
function words(fixed: string): string[] {
  const rest = fixed
    .replace(/\$\([\w~-]+\)/g, ' ') // codicons: $(plug), $(sync~spin)
    .replace(/\b[a-z]+:\/\/\S+/gi, ' ') // URLs
    .replace(/(^|\s)--?[a-z][\w-]*/gi, ' ') // option flags
    .replace(/socket-lifecycle|socketLifecycle(\.[\w.-]+)?/g, ' ') // the program name and our ids
    .replace(/\b[\w-]+(\.[\w-]+)+\b/g, ' ') // dotted ids, file names
    .replace(/(^|\s)\/[\w./-]+/g, ' ') // paths
    .replace(/[\w:]*(_|::)[\w:]*|\b[a-z]+(-[a-z]+)+\b/gi, ' '); // snake_case, C++ names, kebab-case ids
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

/** The fixed text of a literal, template or `+` chain; undefined when the expression holds none. */
function fixedText(node: ts.Expression): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return node.text;
  }
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  }
  if (ts.isParenthesizedExpression(node)) {
    return fixedText(node.expression);
  }
  if (ts.isConditionalExpression(node)) {
    return [fixedText(node.whenTrue), fixedText(node.whenFalse)].filter((s) => s !== undefined).join(' ') || undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [fixedText(node.left), fixedText(node.right)].filter((s) => s !== undefined).join(' ') || undefined;
  }
  return undefined;
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = call.expression;
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
}

/** True for `l10n.t(...)`, `vscode.l10n.t(...)`. */
function isL10nCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)
    && node.expression.name.text === 't' && /\bl10n$/.test(node.expression.expression.getText());
}

function insideL10n(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (isL10nCall(n)) {
      return true;
    }
  }
  return false;
}

function enclosingCallName(node: ts.Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      return calleeName(n);
    }
  }
  return undefined;
}

/** Scans one file's text; `path` is what offenders report. */
export function scanSource(path: string, source: string): Offender[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const usesVscode = /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/.test(source);
  const isCli = /(^|\/)src\/cli\//.test(path.replace(/\\/g, '/'));
  const found: Offender[] = [];

  const flag = (node: ts.Node, why: string, minWords = 1) => {
    const text = ts.isExpression(node) ? fixedText(node) : undefined;
    if (text === undefined || words(text).length < minWords || insideL10n(node)) {
      return;
    }
    const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (!found.some((f) => f.line === line && f.text === text)) {
      found.push({ file: path, line, why, text });
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 't'
      && node.arguments.length > 0 && fixedText(node.arguments[0]) !== undefined) {
      flag(node.arguments[0], 'translator alias t(...): @vscode/l10n-dev exports only l10n.t(...)');
    }
    if (usesVscode) {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        const name = calleeName(node) ?? '';
        const args = node.arguments ?? [];
        if (TEXT_CALLS.has(name) || (ts.isNewExpression(node) && TEXT_CONSTRUCTORS.has(name))) {
          for (const arg of args) {
            flag(arg, `${name}() shows this text`);
            if (ts.isArrayLiteralExpression(arg)) {
              arg.elements.forEach((el) => flag(el, `${name}() shows this item`));
            }
          }
        }
        if (name in TEXT_ARGUMENT && args[TEXT_ARGUMENT[name]]) {
          flag(args[TEXT_ARGUMENT[name]], `${name}() shows this text`);
        }
      }
      if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        const prop = node.name.text;
        if (TEXT_PROPERTIES.has(prop) && (prop !== 'name' || NAME_IS_TEXT_IN.has(enclosingCallName(node) ?? ''))) {
          flag(node.initializer, `'${prop}' is shown to the user`);
        }
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken
        && ts.isPropertyAccessExpression(node.left) && TEXT_PROPERTIES.has(node.left.name.text)
        && node.left.name.text !== 'name') {
        flag(node.right, `'.${node.left.name.text}' is shown to the user`);
      }
    }
    if (isCli && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node))
      && !ts.isImportDeclaration(node.parent) && !ts.isExportDeclaration(node.parent) && !ts.isLiteralTypeNode(node.parent)
      && !(ts.isTemplateExpression(node.parent) || ts.isTemplateSpan(node.parent))) {
      flag(node, 'CLI sentence printed without l10n.t', 3);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Scans every TypeScript file under `root/src` except the webview, which gets its strings from the host. */
export function scanSources(root: string): Offender[] {
  return walk(join(root, 'src'))
    .filter((path) => !relative(root, path).replace(/\\/g, '/').startsWith('src/webview/'))
    .flatMap((path) => scanSource(relative(root, path).replace(/\\/g, '/'), readFileSync(path, 'utf8')));
}

/** Package.json contributions whose text must be a `%key%` that package.nls.json defines. */
export function manifestOffenders(pkg: Record<string, unknown>, nls: Record<string, string>): string[] {
  const found: string[] = [];
  const check = (where: string, value: unknown) => {
    if (typeof value !== 'string') {
      return;
    }
    const key = /^%(.+)%$/.exec(value)?.[1];
    if (key === undefined) {
      found.push(`package.json ${where}: ${JSON.stringify(value)} is not a %key% reference`);
    } else if (!(key in nls)) {
      found.push(`package.json ${where}: %${key}% is missing from package.nls.json`);
    }
  };
  const TEXT_KEYS = new Set(['title', 'description', 'markdownDescription', 'enumDescriptions',
    'markdownEnumDescriptions', 'deprecationMessage', 'markdownDeprecationMessage', 'shortTitle',
    'category', 'label', 'contextualTitle', 'altText']);
  const visit = (value: unknown, where: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${where}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (TEXT_KEYS.has(k) || (k === 'name' && /\.views\b/.test(where))) {
          (Array.isArray(v) ? v : [v]).forEach((item, i) => check(Array.isArray(v) ? `${where}.${k}[${i}]` : `${where}.${k}`, item));
        } else {
          visit(v, `${where}.${k}`);
        }
      }
    }
  };
  visit((pkg as { contributes?: unknown }).contributes ?? {}, 'contributes');
  const capabilities = (pkg as { capabilities?: { untrustedWorkspaces?: { description?: unknown } } }).capabilities;
  check('capabilities.untrustedWorkspaces.description', capabilities?.untrustedWorkspaces?.description);
  return found;
}
