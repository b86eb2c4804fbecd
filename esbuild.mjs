// One build for every target: extension host, CLI, webview, tests, and copied assets.
//   node esbuild.mjs               development build (with tests, source maps)
//   node esbuild.mjs --production  minified, no tests (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

/** Files copied verbatim into dist/ (the programs the lab runs, grammars, queries). */
const ASSETS = [
  { from: 'src/programs', to: 'dist/programs', optional: true },
  { from: 'src/sockets/native/sockDiag.c', to: 'dist/native/sockDiag.c', optional: true },
  { from: 'src/lint/queries', to: 'dist/queries', optional: true },
  { from: 'src/webview/styles.css', to: 'dist/webview/styles.css', optional: true },
  { from: 'node_modules/web-tree-sitter/web-tree-sitter.wasm', to: 'dist/grammars/web-tree-sitter.wasm', optional: true },
  { from: 'node_modules/tree-sitter-c/tree-sitter-c.wasm', to: 'dist/grammars/tree-sitter-c.wasm', optional: true },
  { from: 'node_modules/tree-sitter-cpp/tree-sitter-cpp.wasm', to: 'dist/grammars/tree-sitter-cpp.wasm', optional: true },
  { from: 'node_modules/tree-sitter-python/tree-sitter-python.wasm', to: 'dist/grammars/tree-sitter-python.wasm', optional: true },
];

function copyAssets() {
  for (const { from, to, optional } of ASSETS) {
    if (!existsSync(from)) {
      if (!optional) {
        throw new Error(`missing asset ${from}`);
      }
      continue;
    }
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  }
}

/** Recursively lists files under `dir` whose names end with `suffix`. */
function find(dir, suffix) {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? find(path, suffix) : path.endsWith(suffix) ? [path] : [];
  });
}

/**
 * Writes dist/cli-main.js.cache, the bytecode V8 compiles in one lint run of the programs the
 * lab ships (see src/cli/start.ts). Without it the command line still works, only slower to
 * start, so a failure here is a warning.
 */
function writeCodeCache() {
  const out = 'dist/cli-main.js.cache';
  const env = { ...process.env, SOCKET_LIFECYCLE_CODE_CACHE_OUT: `${out}.tmp` };
  const run = spawnSync(process.execPath, ['dist/cli.js', 'lint', '--format', 'json', 'dist/programs'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if ((run.status === 0 || run.status === 1) && existsSync(`${out}.tmp`)) {
    renameSync(`${out}.tmp`, out);
  } else {
    rmSync(out, { force: true });
    console.warn(`warning: no code cache for the command line (lint exited ${run.status}): ${String(run.stderr).trim()}`);
  }
}

/** Prints the lines the `$esbuild-watch` problem matcher looks for. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  define: { SOCKET_LIFECYCLE_VERSION: JSON.stringify(pkg.version) },
  plugins: watch ? [problemMatcher] : [],
};

const targets = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'] },
  // The command line: dist/cli.js starts dist/cli-main.js from V8's code cache (src/cli/start.ts).
  { ...common, entryPoints: ['src/cli/start.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18', sourcemap: false },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli-main.js', platform: 'node', format: 'cjs', target: 'node18' },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview/main.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

if (!production) {
  // Tests and benchmarks: one bundle per file, dependencies left to node_modules.
  const testEntries = [...find('test', '.ts'), ...find('bench', '.ts')].filter((f) => !f.startsWith(join('test', 'fixtures')));
  if (testEntries.length > 0) {
    targets.push({
      ...common, entryPoints: testEntries, outdir: 'out', outbase: '.', platform: 'node', format: 'cjs',
      target: 'node18', packages: 'external', external: ['vscode'],
    });
  }
}

// A production build starts from an empty dist/ so the .vsix holds nothing stale. Development
// builds overwrite in place: tests running from dist/ and out/ keep working during a rebuild.
if (production) {
  rmSync('dist', { recursive: true, force: true });
}
copyAssets();
const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
    writeCodeCache();
  } catch {
    process.exitCode = 1;
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
