import { renderEntry } from '../core/docs';
import type { Language } from '../core/report';

export function explain(id: string, language: Language): string | undefined {
  return renderEntry(id, language);
}
