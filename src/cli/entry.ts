// The CLI bundle's entry point (dist/cli.js). Start-up (issue 16): `--version` alone is answered before anything
// else is compiled; every other command runs the rest of the CLI (main.ts, bundled separately by esbuild.js and
// appended to dist/cli.js inside one comment, which V8 skips without parsing) through vm.Script with a V8 code
// cache kept in the user's cache folder: a run that finds the cache of this exact build skips compiling the
// bundle, which is most of what a short run costs. dist/cli.js stays one file (it is copied alone, e.g. by
// pre-commit hooks); without the cache (first run, unwritable folder) it works the same way, only slower.
// Run from source (tsx), main.ts is imported directly.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as WorkerThreads from 'node:worker_threads';
import { version } from '../../package.json';

/** Set by esbuild.js: a hash of main.ts's bundle, which names its code cache (undefined when run from source). */
declare const __CLI_MAIN_KEY__: string | undefined;
/** Where main.ts's bundle starts in dist/cli.js: a comment, last in the file, in which esbuild.js wrote `*` `/` as \x01b and \x01 as \x01a. */
const MAIN_MARK = '\n/*secure-config-review:main\n';

/** main.ts's bundle, out of the comment at the end of this file. */
function bundledMain(): string {
  const file = fs.readFileSync(__filename, 'latin1'); // the build writes ASCII only
  const start = file.lastIndexOf(MAIN_MARK);
  const end = file.lastIndexOf('*/');
  if (start < 0 || end < start) throw new Error(`${__filename}: the CLI's bundle is missing (rebuild it with node esbuild.js)`);
  // Every \x01 starts one of the two escapes (44 in 1.7 MB): a loop over indexOf is far cheaper than a replace.
  let source = '';
  let from = start + MAIN_MARK.length;
  for (let at = file.indexOf('\x01', from); at >= 0 && at < end; at = file.indexOf('\x01', from)) {
    source += file.slice(from, at) + (file[at + 1] === 'a' ? '\x01' : '*/');
    from = at + 2;
  }
  return source + file.slice(from, end);
}

/** The code cache's folder: $SECURE_CONFIG_REVIEW_CACHE (`off` for none), else the XDG cache folder. */
function cacheFolder(): string | undefined {
  const chosen = process.env.SECURE_CONFIG_REVIEW_CACHE;
  if (chosen === 'off' || chosen === '0') return undefined;
  if (chosen) return path.resolve(chosen);
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'secure-config-review');
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'secure-config-review') : undefined;
}

/** Runs main.ts's bundle, from the code cache when one for this build (and this Node) is there. */
function runBundled(key: string): void {
  const source = bundledMain();
  const folder = cacheFolder();
  // V8 checks a cache's version, flags and source length, not its content: the name carries the bundle's hash.
  const name = `cli-${key}-${process.version}-${process.arch}.v8cache`;
  const cacheFile = folder && path.join(folder, name);
  const cachedData = cacheFile ? readOwnCache(folder, cacheFile) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: __filename,
    cachedData,
  });
  if (folder && cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // Written when the process ends, so the cache holds the functions this run compiled too; by the main thread
    // only (a worker of a large audit runs this file too). worker_threads is loaded here, not for every run.
    process.once('exit', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      if ((require('node:worker_threads') as typeof WorkerThreads).isMainThread) writeCache(folder, cacheFile, name, () => script.createCachedData());
    });
  }
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, __filename, __dirname);
}

/**
 * The cache file, when it and its folder belong to this user and no one else may write them: V8 runs what a
 * cache holds, so a cache someone else could have written (`sudo` keeping a user's HOME) is not used.
 */
function readOwnCache(folder: string, cacheFile: string): Buffer | undefined {
  const uid = process.getuid?.();
  try {
    for (const stat of [fs.lstatSync(folder), fs.lstatSync(cacheFile)]) {
      if (uid !== undefined && stat.uid !== uid) return undefined;
      if ((stat.mode & 0o022) !== 0 || stat.isSymbolicLink()) return undefined;
    }
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Replaces the cache atomically (a concurrent run reads the old file or the new one) and drops other builds' caches. */
function writeCache(folder: string, cacheFile: string, name: string, data: () => Buffer): void {
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(folder);
    const uid = process.getuid?.();
    if ((uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0 || !stat.isDirectory()) return; // see readOwnCache
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data(), { mode: 0o600 });
    fs.renameSync(temporary, cacheFile);
    for (const other of fs.readdirSync(folder)) {
      if (other !== name && /^cli-[0-9a-f]+-v[\d.]+-\w+\.v8cache$/.test(other)) fs.rmSync(path.join(folder, other), { force: true });
    }
  } catch {
    // A cache that cannot be written only costs the next run its compile time.
  }
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) process.stdout.write(`${version}\n`);
else if (typeof __CLI_MAIN_KEY__ === 'string') runBundled(__CLI_MAIN_KEY__);
else void import('./main');
