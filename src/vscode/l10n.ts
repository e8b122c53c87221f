// The display language decides every string a user reads: static strings go through vscode.l10n
// (l10n/bundle.l10n.ja.json), catalogue text comes in both languages and is picked here.
import * as vscode from 'vscode';
import type { Localized } from '../core/types';
import type { Language } from '../core/report';

/** 'ja' when VS Code's display language is Japanese (ja, ja-JP), else 'en'. */
export function displayLanguage(): Language {
  return vscode.env.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function localize(text: Localized): string {
  return text[displayLanguage()] || text.en;
}

/** Escapes characters that Markdown would treat as markup in catalogue prose and file names. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}
