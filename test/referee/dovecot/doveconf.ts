// doveconf, Dovecot's own reading of a configuration: `-n` says whether it accepts the files, `-h` prints the
// value a setting has for a connection described with `-f protocol=… -f remote=… -f local=…`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export const DOVECONF = '/usr/bin/doveconf';

export const doveconfInstalled = () => existsSync(DOVECONF);

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export function doveconf(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(DOVECONF, args, { timeout: 20_000, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Values of `keys` for a connection; one line each, in order. */
export async function values(root: string, filters: string[], keys: string[]): Promise<Result & { values: string[] }> {
  const result = await doveconf(['-c', root, ...filters.flatMap((filter) => ['-f', filter]), '-h', ...keys]);
  return { ...result, values: result.stdout.replace(/\n$/, '').split('\n') };
}
