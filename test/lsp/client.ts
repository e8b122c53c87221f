// A real LSP client for the tests: Microsoft's protocol library (vscode-languageserver-protocol) over the standard
// input and output of `node dist/cli.js lsp`, as an editor would start it. Every wait is bounded, and `stop()`
// ends the session (shutdown, exit) and kills the process if it does not end by itself.
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  type InitializeParams,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  type RegistrationParams,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  ShowMessageNotification,
  type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');
/** Long enough for a loaded CI machine, short enough that a hang fails the test instead of the run. */
const WAIT_MS = 20_000;

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly registrations: RegistrationParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly stderr: string[] = [];
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly listeners = new Set<() => void>();
  private exited = false;

  constructor(cwd: string) {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `node esbuild.js` first');
    this.process = spawn(process.execPath, [CLI, 'lsp'], { cwd, stdio: 'pipe' });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.process.on('exit', () => {
      this.exited = true;
      this.notify();
    });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.push(params);
      this.notify();
    });
    this.connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params);
      this.notify();
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(params);
      this.notify();
    });
    this.connection.listen();
  }

  async initialize(params: Partial<InitializeParams>): Promise<InitializeResult> {
    const result = await this.within(
      this.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, ...params }),
      'initialize',
    );
    await this.connection.sendNotification('initialized', {});
    return result as InitializeResult;
  }

  /** The latest diagnostics published for `uri` that satisfy `accept` (waiting for them if needed). */
  async diagnosticsFor(uri: string, accept: (params: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return this.until(() => [...this.diagnostics].reverse().find((params) => params.uri === uri && accept(params)), `diagnostics for ${uri}`);
  }

  /** Waits until `probe` returns something, or fails naming `what`. */
  until<T>(probe: () => T | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (this.exited) {
          done();
          reject(new Error(`the server ended while waiting for ${what}: ${this.stderr.join('')}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${WAIT_MS} ms; server stderr: ${this.stderr.join('')}`));
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  within<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${WAIT_MS} ms`)), WAIT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  /** Ends the session as an editor does; kills the server if it is still there after a while. Returns its exit code. */
  async stop(): Promise<number | null> {
    if (!this.exited) {
      try {
        await this.within(this.connection.sendRequest('shutdown'), 'shutdown');
        await this.connection.sendNotification('exit');
      } catch {
        // A server that does not answer is killed below.
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.process.kill('SIGKILL');
          resolve();
        }, 5_000);
        this.process.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (this.exited) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    this.connection.dispose();
    return this.process.exitCode;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
