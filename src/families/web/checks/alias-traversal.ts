// nginx/alias-traversal: `alias` under a location prefix without its trailing slash lets `..` climb out.
import { nginxModel } from '../nginx/index';
import { defineCheck, text } from '../../../core/check';
import type { NginxConfig, NginxLocation } from '../nginx/model';

// `location /files { alias /srv/files/; }` maps /files../secret to /srv/files/../secret: the part of the URI after
// the location prefix is appended to the alias, so a prefix without its trailing slash lets `..` climb out.
export const aliasTraversal = defineCheck<NginxConfig>({
  rule: 'nginx/alias-traversal',
  model: nginxModel,
  run(config, report) {
    for (const server of config.servers) {
      const visit = (locations: NginxLocation[]) => {
        for (const location of locations) {
          visit(location.locations);
          if (location.modifier !== '' && location.modifier !== '^~') continue;
          if (location.pattern.endsWith('/')) continue;
          const alias = location.directives.find((d) => d.name === 'alias' && !d.block);
          const target = alias?.args[0]?.value;
          if (!alias || !target?.endsWith('/')) continue;
          report(
            location.patternSpan,
            { prefix: location.pattern, alias: target },
            {
              suggestions: [
                {
                  title: 'addSlash',
                  data: { prefix: location.pattern },
                  edits: [{ span: { ...location.patternSpan, start: location.patternSpan.end }, newText: '/' }],
                },
              ],
              related: [{ span: alias.span, message: text('web.nginx.alias-appends-rest') }],
            },
          );
        }
      };
      visit(server.locations);
    }
  },
});
