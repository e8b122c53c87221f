// Everything the CLI says comes from the catalogue (rules/core.texts.json, "cli.*"), in English or Japanese.
import { type TextRef, text } from '../core/check';
import type { Language } from '../core/report';
import type { Localized } from '../core/types';
import { type PathProblem, type PathReason, reasonOf } from './walk';
import { engine } from '../product';

export const PROGRAM = 'secure-config-review';

/** A failure the user can act on: one line (no stack trace), exit code 2; `usage` adds a pointer to --help. */
export class CliError extends Error {
  constructor(
    readonly detail: TextRef,
    readonly usage = false,
  ) {
    super(detail.text);
  }
}

export function localized(ref: TextRef): Localized {
  return engine.catalogue.resolve(ref);
}

export function say(ref: TextRef, language: Language): string {
  return localized(ref)[language];
}

/** The words for why a path could not be used. */
export function reasonText(reason: PathReason, code?: string): TextRef {
  switch (reason) {
    case 'permission-denied':
      return text('cli.reason.permission-denied');
    case 'not-found':
      return text('cli.reason.not-found');
    case 'broken-link':
      return text('cli.reason.broken-link');
    case 'link-loop':
      return text('cli.reason.link-loop');
    case 'fifo':
      return text('cli.reason.fifo');
    case 'socket':
      return text('cli.reason.socket');
    case 'device':
      return text('cli.reason.device');
    case 'vanished':
      return text('cli.reason.vanished');
    default:
      return text('cli.reason.other', { code: code ?? '' });
  }
}

/** `path: permission denied`, one line for one path. */
export function pathProblemText(problem: PathProblem): TextRef {
  return text('cli.path-problem', { path: problem.shown, reason: reasonText(problem.reason, problem.code) });
}

/** A file-system error while writing (a report, the docs) as a one-line CliError. */
export function writeError(shown: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return new CliError(text('cli.write-failed', { path: shown, reason: text('cli.reason.not-a-folder') }));
  if (code === 'EISDIR') return new CliError(text('cli.write-failed', { path: shown, reason: text('cli.reason.is-a-folder') }));
  if (code === 'EROFS') return new CliError(text('cli.write-failed', { path: shown, reason: text('cli.reason.read-only') }));
  if (code === 'ENOSPC') return new CliError(text('cli.write-failed', { path: shown, reason: text('cli.reason.no-space') }));
  const { reason, code: other } = reasonOf(error);
  return new CliError(text('cli.write-failed', { path: shown, reason: reasonText(reason, other) }));
}
