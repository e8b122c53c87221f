// Builds two bundles from one source tree:
//   dist/extension.js  the VS Code extension ('vscode' is provided by the editor, so it is external)
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
  await esbuild.build({
    ...common,
    entryPoints: { cli: 'src/cli/main.ts', bench: 'test/bench/bench.ts' },
    outdir: 'dist',
    plugins: [forbidVscode],
    banner: { js: '#!/usr/bin/env node' },
  });
  // Rule and catalogue pages ship beside the bundles, so documentation links work offline.
  execFileSync(process.execPath, [path.join('dist', 'cli.js'), 'docs', path.join('dist', 'docs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  await esbuild.build({
    ...common,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
  });
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
