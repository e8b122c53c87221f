import { elasticsearchModel } from '../formats';
import { defineCheck, type FixSpec } from '../../../core/check';
import type { EsConfig, EsValue } from '../formats';
import { reachOf } from '../../shared/listen-address';

// Elasticsearch network settings: http.host / http.bind_host override network.bind_host / network.host.
// Special values: _local_ is loopback; _site_, _global_, _eth0_ and the like are interface addresses.
function exposingValue(config: EsConfig): EsValue | undefined {
  const candidates = ['http.bind_host', 'http.host', 'network.bind_host', 'network.host'];
  const setting = candidates.map((key) => config.settings.get(key)).find((found) => found && found.values.length);
  for (const value of setting?.values ?? []) {
    const text = value.text.trim();
    if (text.includes('${')) continue;
    if (/^_local(:ipv[46])?_$/.test(text) || text === 'localhost') continue;
    if (/^_.+_$/.test(text)) return value;
    const reach = reachOf(text);
    if (reach !== 'loopback') return value;
  }
  return undefined;
}

export const exposedWithoutSecurity = defineCheck<EsConfig>({
  rule: 'elasticsearch/exposed-without-security',
  model: elasticsearchModel,
  run(config, report) {
    const exposed = exposingValue(config);
    if (!exposed) return;
    const source = config.source;
    const singleNode = config.settings.get('discovery.type')?.values[0]?.text === 'single-node';
    const hint = singleNode
      ? { en: ' discovery.type: single-node marks a test or development node, the kind left open in IPA case 33.', ja: ' discovery.type: single-node はテスト・開発用ノードの印で、IPA 届出 項番33 で放置されたのと同じ種類です。' }
      : { en: '', ja: '' };
    if (config.flavour === 'opensearch') {
      const disabled = config.settings.get('plugins.security.disabled')?.values[0];
      if (!disabled || !/^true$/i.test(disabled.text)) return;
      report(exposed.span, { listen: exposed.text, state: { en: 'plugins.security.disabled is true', ja: 'plugins.security.disabled が true です' }, hint }, {
        suggestions: [{ title: 'enableOpenSearch', edits: [{ span: disabled.span, newText: 'false' }] }],
        related: [{ span: disabled.span, message: { en: 'the security plugin is switched off here', ja: 'ここでセキュリティプラグインが無効になっています' } }],
      });
      return;
    }
    const enabled = config.settings.get('xpack.security.enabled')?.values[0];
    if (enabled && !/^false$/i.test(enabled.text)) return;
    const suggestions: FixSpec[] = enabled
      ? [{ title: 'enable', edits: [{ span: enabled.span, newText: 'true' }] }]
      : [{ title: 'enable', edits: [{ span: { file: source.path, start: source.text.length, end: source.text.length }, newText: `${source.text.endsWith('\n') || !source.text ? '' : '\n'}xpack.security.enabled: true\n` }] }];
    report(
      exposed.span,
      {
        listen: exposed.text,
        state: enabled
          ? { en: 'xpack.security.enabled is false, so no request is authenticated', ja: 'xpack.security.enabled が false のため、どのリクエストも認証されません' }
          : {
              en: 'xpack.security.enabled is not set: Elasticsearch 6.x and 7.x with the basic licence then run without authentication (8.x enables it by default)',
              ja: 'xpack.security.enabled が未設定です。Elasticsearch 6.x・7.x の basic ライセンスでは認証なしで動作します（8.x は既定で有効）',
            },
        hint,
      },
      {
        severity: enabled ? 'error' : 'warning',
        suggestions,
        related: enabled ? [{ span: enabled.span, message: { en: 'security is switched off here', ja: 'ここでセキュリティが無効になっています' } }] : [],
      },
    );
  },
});
