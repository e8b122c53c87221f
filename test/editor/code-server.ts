// Starts code-server (the real VS Code workbench and extension host) on 127.0.0.1 with its own
// user-data and extensions folders, so a run never touches the user's editor, and stops it by its
// process group.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { CODE_SERVER_ENTRY, NODE24, node24Env } from './tools';

export interface CodeServerDirs {
  userData: string;
  extensions: string;
  logFile: string;
}

/** User settings for an unattended run: Restricted Mode without the prompt, nothing phoning home. */
const USER_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'workbench.editor.enablePreview': false,
  'files.simpleDialog.enable': true,
};

export function prepareDirs(base: string): CodeServerDirs {
  fs.rmSync(base, { recursive: true, force: true });
  const dirs = { userData: path.join(base, 'user-data'), extensions: path.join(base, 'extensions'), logFile: path.join(base, 'code-server.log') };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return dirs;
}

function baseArgs(dirs: CodeServerDirs): string[] {
  return ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', path.join(dirs.userData, 'config.yaml')];
}

export function installExtensions(dirs: CodeServerDirs, vsixFiles: string[]): void {
  const args = [CODE_SERVER_ENTRY, ...baseArgs(dirs), ...vsixFiles.flatMap((file) => ['--install-extension', file])];
  execFileSync(NODE24, args, { env: node24Env(), stdio: ['ignore', 'pipe', 'pipe'] });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(dirs: CodeServerDirs, locale: string): Promise<CodeServer> {
    const port = await freePort();
    const log = fs.openSync(dirs.logFile, 'a');
    const args = [
      CODE_SERVER_ENTRY,
      ...baseArgs(dirs),
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--locale',
      locale,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      '--log',
      'info',
    ];
    const child = spawn(NODE24, args, { env: node24Env(), stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    const server = new CodeServer(child, `http://127.0.0.1:${port}`);
    await server.waitUntilHealthy(60_000);
    return server;
  }

  openFolderUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  private async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited with ${this.child.exitCode}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('code-server did not answer /healthz in time');
  }

  /** Stops code-server and everything it started (extension hosts, watchers): its whole process group. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.pid === undefined) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }
}
