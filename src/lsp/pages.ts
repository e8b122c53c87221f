// Documentation links for diagnostics (codeDescription.href) and hovers. The build writes every rule and
// catalogue page beside the bundle (dist/docs, by `secure-config-review docs`), so a link is a file: URI of the
// installed copy: it opens offline, on the server's machine, and describes exactly the rules this server runs.
// There is no public web site whose pages could be promised instead. A page that is not there is not linked.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Language } from '../core/report';
import { uriOfPath } from './paths';

export type PageLinks = (id: string) => string | undefined;

/** Links into `root` (dist/docs): rules/<rule-id>.md and threats/<entry-id>.md, `.ja.md` in Japanese when present. */
export function pageLinks(root: string, language: Language, isRule: (id: string) => boolean): PageLinks {
  const known = new Map<string, string | undefined>();
  return (id) => {
    if (known.has(id)) return known.get(id);
    const folder = isRule(id) ? 'rules' : 'threats';
    const names = language === 'ja' ? [`${id}.ja.md`, `${id}.md`] : [`${id}.md`];
    let link: string | undefined;
    // Ids are catalogue data ("postfix/mynetworks-public-range"); never follow one out of the folder.
    if (!id.split('/').some((part) => part === '' || part === '.' || part === '..'))
      for (const name of names) {
        const file = path.join(root, folder, ...name.split('/'));
        if (existsSync(file)) {
          link = uriOfPath(file);
          break;
        }
      }
    known.set(id, link);
    return link;
  };
}

/** Where the build puts the pages: `docs` beside the bundle that is running (dist/cli.js -> dist/docs). */
export function bundledDocsRoot(): string {
  return path.join(__dirname, 'docs');
}
