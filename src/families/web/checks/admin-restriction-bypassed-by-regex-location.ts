// nginx/admin-restriction-bypassed-by-regex-location: a restricted prefix location that a regex location overrides.
import { nginxModel } from '../nginx/index';
import { defineCheck, text } from '../../../core/check';
import type { NginxConfig, NginxLocation } from '../nginx/model';
import { anyRegexLocationMatches, resolveRequest, selectLocation, verdictFor } from '../nginx/request';
import { headSpan } from './support/nginx-edits';

// A prefix location that restricts access (`location /wp-admin/ { allow ...; deny all; }`) only applies when nginx
// picks it. Without `^~`, a matching regex location (`location ~ \.php$`) wins for the paths that matter most.
const PROBE_SUFFIXES = ['index.php', 'admin.php', 'login.php', 'setup.php', 'x.php', 'index.cgi', 'mt.cgi', 'config.inc.php'];

function protects(location: NginxLocation): boolean {
  return location.directives.some(
    (d) => !d.block && (d.name === 'deny' || (d.name === 'auth_basic' && d.args[0]?.value !== 'off') || d.name === 'auth_request' || d.name === 'internal'),
  );
}

function probesUnder(location: NginxLocation): string[] {
  const base = location.pattern.endsWith('/') ? location.pattern : `${location.pattern}/`;
  const paths = PROBE_SUFFIXES.map((suffix) => base + suffix);
  if (!location.pattern.endsWith('/')) paths.push(`${location.pattern}.php`);
  return paths;
}

export const adminRestrictionBypassedByRegexLocation = defineCheck<NginxConfig>({
  rule: 'nginx/admin-restriction-bypassed-by-regex-location',
  model: nginxModel,
  run(config, report) {
    for (const server of config.servers) {
      const visit = (locations: NginxLocation[]) => {
        for (const prefix of locations) {
          visit(prefix.locations);
          if (prefix.modifier !== '' || !protects(prefix)) continue;
          for (const path of probesUnder(prefix)) {
            // Only a regex location can take the path from the prefix: the full outcome is asked only then.
            if (!anyRegexLocationMatches(server, path)) continue;
            const chosen = selectLocation(server, path);
            if (!chosen || chosen === prefix || !(chosen.modifier === '~' || chosen.modifier === '~*')) continue;
            const outcome = resolveRequest(server, path);
            const winner = outcome.location;
            if (!winner || winner === prefix || !(winner.modifier === '~' || winner.modifier === '~*')) continue;
            // Nested inside the prefix, the regex inherits its restriction.
            if (isInside(winner, prefix)) continue;
            const verdict = verdictFor(outcome);
            if (verdict !== 'served') continue;
            const patternEdit = { span: { ...prefix.patternSpan, end: prefix.patternSpan.start }, newText: '^~ ' };
            const handler = winner.owner;
            const source = config.sourceOf(handler.span.file);
            const nestedCopy =
              source && prefix.owner.blockClose !== undefined && handler.span.file === prefix.owner.span.file
                ? {
                    span: { file: prefix.owner.span.file, start: prefix.owner.blockClose, end: prefix.owner.blockClose },
                    newText: `${indentBlock(source.text.slice(handler.span.start, handler.span.end))}\n${lineIndent(source.text, prefix.owner.span.start)}`,
                  }
                : undefined;
            report(
              headSpan(prefix.owner),
              { prefix: prefix.pattern, path, regex: `${winner.modifier} ${winner.pattern}` },
              {
                suggestions: [
                  {
                    title: 'caretTilde',
                    data: { prefix: prefix.pattern },
                    edits: nestedCopy ? [patternEdit, trimBefore(source!.text, nestedCopy)] : [patternEdit],
                  },
                ],
                related: [{ span: headSpan(winner.owner), message: text('web.nginx.regex-location-serves-path', { path }) }],
              },
            );
            break;
          }
        }
      };
      visit(server.locations);
    }
  },
});

function isInside(location: NginxLocation, ancestor: NginxLocation): boolean {
  for (let current = location.parent; current; current = current.parent) if (current === ancestor) return true;
  return false;
}

function lineIndent(content: string, offset: number): string {
  const lineStart = content.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(content.slice(lineStart))![0];
}

function indentBlock(content: string): string {
  const step = content.includes('\t') ? '\t' : '    ';
  return content
    .split('\n')
    .map((line, index) => (index === 0 ? line : step + line))
    .join('\n');
}

/** The nested copy goes on its own line before the prefix's closing brace. */
function trimBefore(content: string, edit: { span: { file: string; start: number; end: number }; newText: string }) {
  let start = edit.span.start;
  while (start > 0 && (content[start - 1] === ' ' || content[start - 1] === '\t')) start--;
  const closingIndent = content.slice(start, edit.span.start);
  const innerIndent = closingIndent + (closingIndent.includes('\t') || (closingIndent === '' && content.includes('\t')) ? '\t' : '    ');
  return { span: { ...edit.span, start }, newText: `${innerIndent}${edit.newText.trimEnd()}\n${closingIndent}` };
}
