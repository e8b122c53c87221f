// Remote and web (issue 17 part 5). The extension is a workspace extension: over Remote-SSH, WSL or in a container
// it runs where the files are and reads them through vscode.workspace.fs only, with no binary anywhere. For
// vscode.dev / github.dev it ships a browser bundle (dist/extension.browser.js, built by `npm test` before mocha),
// which here runs in a V8 context with no Node built-ins and a stand-in `vscode` module, and lints a document.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';

const ROOT = path.resolve(__dirname, '../..');
const BROWSER_BUNDLE = path.join(ROOT, 'dist', 'extension.browser.js');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('remote and web: the manifest', () => {
  it('declares a workspace extension with a desktop and a browser entry, for virtual workspaces too', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.browser, './dist/extension.browser.js');
    assert.equal((manifest.capabilities as { virtualWorkspaces?: unknown }).virtualWorkspaces, true);
  });

  it('packages both bundles and the lint worker', () => {
    const ignore = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    for (const file of ['dist/extension.js', 'dist/extension.browser.js', 'dist/lint-worker.js']) assert.ok(ignore.includes(`!${file}`), file);
  });
});

describe('remote and web: src/vscode reads the workspace through vscode.workspace.fs only', () => {
  const folder = path.join(ROOT, 'src', 'vscode');
  const sources = readdirSync(folder)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ name, text: readFileSync(path.join(folder, name), 'utf8') }));
  /** Node modules that reach the local disk, processes or the machine. */
  const LOCAL = /^(?:node:)?(?:fs|fs\/promises|path|os|child_process|readline|net|http|https)$/;
  const importsOf = (text: string) => [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*)'([^']+)'/g)].map((match) => match[1]!);

  it('has the files this check reads', () => {
    assert.ok(sources.length >= 15, `${sources.length} files`);
    assert.ok(sources.some((source) => source.name === 'file-access.ts'));
  });

  it('imports no Node module that reaches the disk (fs, path, os, child_process, ...)', () => {
    const found = sources.flatMap(({ name, text }) =>
      importsOf(text)
        .filter((module) => LOCAL.test(module))
        .map((module) => `${name}: ${module}`),
    );
    assert.deepEqual(found, []);
  });

  it('uses no local-disk path of a URI, no working folder, no __dirname', () => {
    const found = sources.flatMap(({ name, text }) =>
      text
        .split('\n')
        .filter((line) => !/^\s*(?:\/\/|\*|\/\*)/.test(line))
        .filter((line) => /\.fsPath\b|process\.cwd\(|__dirname|__filename|\brequire\(/.test(line))
        .map((line) => `${name}: ${line.trim()}`),
    );
    assert.deepEqual(found, []);
  });

  it('uses Node only for the worker thread, in the desktop entry’s worker files', () => {
    const node = sources.flatMap(({ name, text }) =>
      importsOf(text)
        .filter((module) => module.startsWith('node:'))
        .map((module) => `${name}: ${module}`),
    );
    assert.deepEqual(node.sort(), ['lint-worker.ts: node:worker_threads', 'worker-pool.ts: node:worker_threads']);
  });

  it('keeps the browser entry free of the worker pool', () => {
    const browser = sources.find((source) => source.name === 'extension.browser.ts')!.text;
    assert.doesNotMatch(browser, /worker-pool|lint-worker/);
  });
});

/** URIs as vscode.Uri models them, enough for the extension's use. */
class FakeUri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  static parse(value: string): FakeUri {
    const match = /^([A-Za-z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!match) throw new Error(`not a URI: ${value}`);
    return new FakeUri(match[1]!, match[2] ?? '', match[3] ?? '', match[4] ?? '', match[5] ?? '');
  }
  static file(file: string): FakeUri {
    return new FakeUri('file', '', file);
  }
  static from(parts: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): FakeUri {
    return new FakeUri(parts.scheme, parts.authority ?? '', parts.path ?? '', parts.query ?? '', parts.fragment ?? '');
  }
  static joinPath(base: FakeUri, ...segments: string[]): FakeUri {
    return base.with({ path: [base.path.replace(/\/$/, ''), ...segments].join('/') });
  }
  with(change: Partial<Pick<FakeUri, 'scheme' | 'authority' | 'path' | 'query' | 'fragment'>>): FakeUri {
    return new FakeUri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString(): string {
    return `${this.scheme}:${this.scheme === 'file' || this.authority ? `//${this.authority}` : ''}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
}

interface FakeDiagnostic {
  range: { start: { line: number; character: number } };
  message: string;
  severity: number;
  source?: string;
  code?: { value: string };
}

/**
 * Stands in for everything else: a callable object whose members and results are more of itself (an event
 * subscription, a disposable, a provider registration...), never a promise.
 */
function anything(): unknown {
  const target = function () {} as unknown as Record<string | symbol, unknown>;
  const proxy: unknown = new Proxy(target, {
    get: (_, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

function fakeVscode(document: { uri: FakeUri; text: string }, diagnostics: Map<string, FakeDiagnostic[]>, names: Iterable<string>): unknown {
  class Position {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  }
  class Range {
    readonly start: Position;
    readonly end: Position;
    constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
      this.start = new Position(startLine, startCharacter);
      this.end = new Position(endLine, endCharacter);
    }
  }
  class Diagnostic {
    source?: string;
    code?: unknown;
    constructor(
      readonly range: Range,
      readonly message: string,
      readonly severity: number,
    ) {}
  }
  class EventEmitter {
    event = () => ({ dispose() {} });
    fire() {}
    dispose() {}
  }
  const textDocument = { uri: document.uri, version: 1, isClosed: false, languageId: 'plaintext', getText: () => document.text };
  const known: Record<string, unknown> = {
    Uri: FakeUri,
    Position,
    Range,
    Diagnostic,
    EventEmitter,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    env: { language: 'en' },
    l10n: { t: (message: string) => message },
    window: new Proxy({ createOutputChannel: () => ({ trace() {}, info() {}, warn() {}, error() {}, dispose() {} }) }, fallback()),
    languages: new Proxy(
      {
        createDiagnosticCollection: () => ({
          set: (uri: FakeUri, list: FakeDiagnostic[]) => diagnostics.set(uri.toString(), list),
          delete: (uri: FakeUri) => diagnostics.delete(uri.toString()),
          clear: () => diagnostics.clear(),
          dispose() {},
        }),
      },
      fallback(),
    ),
    workspace: new Proxy(
      {
        textDocuments: [textDocument],
        workspaceFolders: undefined,
        getWorkspaceFolder: () => undefined,
        getConfiguration: () => ({ get: () => undefined }),
        fs: {
          readFile: () => Promise.reject(new Error('EntryNotFound (FileSystemError)')),
          readDirectory: () => Promise.reject(new Error('EntryNotFound (FileSystemError)')),
        },
      },
      fallback(),
    ),
  };
  // The bundle copies the module's own keys once (esbuild's __toESM): every name it uses must be one.
  for (const name of names) if (!(name in known)) known[name] = anything();
  return new Proxy(known, fallback());
}

function fallback<T extends object>(): ProxyHandler<T> {
  return { get: (target, key) => (key in target ? (target as Record<string | symbol, unknown>)[key] : anything()) };
}

describe('remote and web: the browser bundle', function () {
  this.timeout(60_000);
  const code = readFileSync(BROWSER_BUNDLE, 'utf8');

  it('requires nothing but the vscode module', () => {
    const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]));
    assert.deepEqual([...required], ['vscode']);
    // A call with a computed name (regular expressions that spell `require(any|all)` do not count).
    assert.doesNotMatch(code, /(?<![\w$.(|^])require\(\s*[^"'\s)]/, 'no computed require');
  });

  it('activates in a context without Node built-ins and lints an open document', async () => {
    const uri = FakeUri.parse('vscode-vfs://github/example/configs/etc/postfix/main.cf');
    const diagnostics = new Map<string, FakeDiagnostic[]>();
    const names = new Set([...code.matchAll(/\bvscode\d*\.(\w+)/g)].map((match) => match[1]!));
    const vscode = fakeVscode({ uri, text: 'compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 172.0.0.0/8\n' }, diagnostics, names);
    const requested: string[] = [];
    const module = { exports: {} as { activate?: (context: unknown) => void } };
    // What a Web Worker offers besides the language itself; no process, Buffer, require of Node modules, __dirname.
    const sandbox = vm.createContext({
      module,
      exports: module.exports,
      require: (id: string) => {
        requested.push(id);
        if (id === 'vscode') return vscode;
        throw new Error(`the browser bundle asked for ${id}`);
      },
      console,
      TextDecoder,
      TextEncoder,
      URL,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      performance,
    });
    vm.runInContext(code, sandbox, { filename: 'extension.browser.js' });
    assert.equal(vm.runInContext('typeof process + typeof Buffer + typeof __dirname', sandbox), 'undefinedundefinedundefined');
    const context = {
      subscriptions: [] as unknown[],
      extension: { packageJSON: { version: '0.0.0' } },
      extensionUri: FakeUri.parse('https://example.invalid/ext'),
    };
    module.exports.activate!(context);
    const deadline = Date.now() + 30_000;
    while (!diagnostics.has(uri.toString()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const shown = [...(diagnostics.get(uri.toString()) ?? [])].map((diagnostic) => ({
      line: diagnostic.range.start.line,
      character: diagnostic.range.start.character,
      rule: diagnostic.code?.value,
      source: diagnostic.source,
    }));
    assert.deepEqual(shown, [{ line: 1, character: 25, rule: 'postfix/mynetworks-public-range', source: 'Secure Config Review' }]);
    assert.match(diagnostics.get(uri.toString())![0]!.message, /172\.0\.0\.0\/8 trusts 15,728,640 public addresses/);
    assert.deepEqual([...new Set(requested)], ['vscode']);
    assert.ok(context.subscriptions.length > 10, 'the extension registered its providers and listeners');
  });
});
