// Builds the bundles from one source tree:
//   dist/extension.js  the VS Code extension ('vscode' is provided by the editor, so it is external)
//   dist/lint-worker.js  the worker thread the extension lints large files in (the engine; no 'vscode')
//   dist/extension.browser.js  the extension for the web extension host (vscode.dev): platform browser, so a
//                      Node built-in imported anywhere on its path fails this build
//   dist/cli.js        the command-line tool: 'vscode' is NOT external, so any import of it from the
//                      core (src/core, src/formats, src/checks, src/net, src/cli) fails this build.
// Extra entry points (benchmark) follow the CLI's rules.
const esbuild = require('esbuild');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const production = process.argv.includes('--production');

/** Refuses 'vscode' with a message that names the importer, instead of esbuild's generic error. */
const forbidVscode = {
  name: 'forbid-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => ({
      errors: [{ text: `the core must not import 'vscode' (imported from ${path.relative(process.cwd(), args.importer)})` }],
    }));
  },
};

/**
 * The catalogue (rules/*.json, ~600 KB) is bundled as JSON text given to JSON.parse, not as object literals:
 * V8 reads a JSON string far faster than it compiles the same data as code (start-up, issue 16).
 */
const catalogueAsJsonText = {
  name: 'catalogue-as-json-text',
  setup(build) {
    build.onLoad({ filter: /[\\/]rules[\\/][^\\/]+\.json$/ }, async (args) => {
      const data = JSON.parse(await require('node:fs').promises.readFile(args.path, 'utf8'));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(data))});`, loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

async function main() {
  // The CLI is always minified: start-up time grows with the size of the code Node compiles (issue 16).
  // main.ts (everything but `--version`) is bundled first and appended to dist/cli.js inside one comment, which
  // src/cli/entry.ts runs through vm.Script with a V8 code cache: Node then neither parses nor compiles the
  // bundle when the cache is there (and V8 skips a comment far faster than it scans a string literal).
  // dist/cli.js stays one self-contained file.
  const main = await esbuild.build({
    ...common,
    entryPoints: { 'cli-main': 'src/cli/main.ts' },
    outdir: 'dist',
    minify: true,
    sourcemap: false,
    write: false,
    plugins: [forbidVscode, catalogueAsJsonText],
  });
  const mainSource = main.outputFiles.find((file) => file.path.endsWith('.js')).text;
  // esbuild writes ASCII only (its default charset), so entry.ts reads the file as latin1. The bundle's own
  // `*` `/` pairs would end the comment: they are written \x01b, and \x01 itself \x01a (entry.ts undoes both).
  if (require('node:buffer').Buffer.byteLength(mainSource) !== mainSource.length)
    throw new Error('the CLI bundle is not plain ASCII: entry.ts cannot embed it');
  const mainKey = require('node:crypto').createHash('sha256').update(mainSource).digest('hex').slice(0, 20);
  const entry = await esbuild.build({
    ...common,
    entryPoints: { cli: 'src/cli/entry.ts' },
    outdir: 'dist',
    minify: true,
    sourcemap: false,
    write: false,
    define: { __CLI_MAIN_KEY__: JSON.stringify(mainKey) },
    plugins: [forbidVscode],
    banner: { js: '#!/usr/bin/env node' },
  });
  const entrySource = entry.outputFiles.find((file) => file.path.endsWith('.js')).text;
  const embedded = `${entrySource}\n/*secure-config-review:main\n${mainSource.split('\x01').join('\x01a').split('*/').join('\x01b')}*/\n`;
  require('node:fs').mkdirSync('dist', { recursive: true });
  require('node:fs').writeFileSync(path.join('dist', 'cli.js'), embedded);
  require('node:fs').rmSync(path.join('dist', 'cli.js.map'), { force: true });
  await esbuild.build({
    ...common,
    entryPoints: { bench: 'test/bench/bench.ts' },
    outdir: 'dist',
    plugins: [forbidVscode],
  });
  // Rule and catalogue pages ship beside the bundles, so documentation links work offline.
  execFileSync(process.execPath, [path.join('dist', 'cli.js'), 'docs', path.join('dist', 'docs')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SECURE_CONFIG_REVIEW_CACHE: 'off' }, // the first real run writes the code cache for what it uses
  });
  await esbuild.build({
    ...common,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
    plugins: [catalogueAsJsonText],
  });
  await esbuild.build({
    ...common,
    entryPoints: { 'lint-worker': 'src/vscode/lint-worker.ts' },
    outdir: 'dist',
    plugins: [forbidVscode, catalogueAsJsonText],
  });
  await esbuild.build({
    ...common,
    platform: 'browser',
    target: 'es2022',
    entryPoints: { 'extension.browser': 'src/vscode/extension.browser.ts' },
    outdir: 'dist',
    external: ['vscode'],
    plugins: [catalogueAsJsonText],
  });
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
