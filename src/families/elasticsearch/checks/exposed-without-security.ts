import { elasticsearchModel } from '../formats';
import { defineCheck, type FixSpec, type RelatedSpec, text } from '../../../core/check';
import type { EsConfig } from '../formats';
import { elasticsearchAuthentication } from '../auth';

export const exposedWithoutSecurity = defineCheck<EsConfig>({
  rule: 'elasticsearch/exposed-without-security',
  model: elasticsearchModel,
  run(config, report) {
    const verdict = elasticsearchAuthentication({ file: config });
    const { listener, setting } = verdict;
    if (!listener || (verdict.open !== 'yes' && verdict.open !== 'version')) return;
    const source = config.source;
    const singleNode = config.settings.get('discovery.type')?.values[0]?.text === 'single-node';
    const hint = singleNode ? text('elasticsearch.single-node-hint') : '';
    const related: RelatedSpec[] = verdict.evidence.map(({ span, reason }) => ({ span, message: reason }));
    if (config.flavour === 'opensearch') {
      if (!setting) return;
      report(
        listener.span,
        { listen: listener.text, state: text('elasticsearch.opensearch-security-disabled'), hint },
        {
          suggestions: [{ title: 'enableOpenSearch', edits: [{ span: setting.span, newText: 'false' }] }],
          related,
        },
      );
      return;
    }
    const suggestions: FixSpec[] = setting
      ? [{ title: 'enable', edits: [{ span: setting.span, newText: 'true' }] }]
      : [
          {
            title: 'enable',
            edits: [
              {
                span: { file: source.path, start: source.text.length, end: source.text.length },
                newText: `${source.text.endsWith('\n') || !source.text ? '' : '\n'}xpack.security.enabled: true\n`,
              },
            ],
          },
        ];
    report(
      listener.span,
      { listen: listener.text, state: setting ? text('elasticsearch.security-disabled') : text('elasticsearch.security-unset'), hint },
      { severity: setting ? 'error' : 'warning', suggestions, related },
    );
  },
});
