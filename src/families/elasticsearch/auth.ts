// Whether Elasticsearch / OpenSearch answers requests without authentication: from elasticsearch.yml on its
// own, or from a container that runs it (environment settings, -E options, a mounted elasticsearch.yml, and
// the image's version: 6.x and 7.x with the basic licence run without security unless it is switched on).
import { text } from '../../core/check';
import type { AuthEvidence, AuthVerdict, DatastoreInputs } from '../shared/datastore-auth';
import { majorVersion, parseImage } from '../shared/well-known';
import { reachOf } from '../shared/listen-address';
import type { EsConfig, EsValue } from './formats';

export interface ElasticsearchAuthentication extends AuthVerdict {
  /** For a file on its own: the network setting that opens the HTTP listener beyond loopback. */
  listener?: EsValue;
  /** For a file on its own: the setting that switches security off, when written. */
  setting?: EsValue;
}

// Elasticsearch network settings: http.host / http.bind_host override network.bind_host / network.host.
// Special values: _local_ is loopback; _site_, _global_, _eth0_ and the like are interface addresses.
function exposingValue(config: EsConfig): EsValue | undefined {
  const candidates = ['http.bind_host', 'http.host', 'network.bind_host', 'network.host'];
  const setting = candidates.map((key) => config.settings.get(key)).find((found) => found && found.values.length);
  for (const value of setting?.values ?? []) {
    const written = value.text.trim();
    if (written.includes('${')) continue;
    if (/^_local(:ipv[46])?_$/.test(written) || written === 'localhost') continue;
    if (/^_.+_$/.test(written)) return value;
    const reach = reachOf(written);
    if (reach !== 'loopback') return value;
  }
  return undefined;
}

const isFalse = (value: string | undefined) => value?.toLowerCase() === 'false';
const isTrue = (value: string | undefined) => value?.toLowerCase() === 'true';

/** `xpack.security.enabled` as the file writes it (its first value). */
function xpackSecurity(config: EsConfig): EsValue | undefined {
  return config.settings.get('xpack.security.enabled')?.values[0];
}

function fileAuthentication(config: EsConfig): ElasticsearchAuthentication {
  const listener = exposingValue(config);
  if (!listener) return { open: 'no', evidence: [] };
  if (config.flavour === 'opensearch') {
    const disabled = config.settings.get('plugins.security.disabled')?.values[0];
    if (!disabled || !isTrue(disabled.text)) return { open: 'no', evidence: [] };
    return { open: 'yes', evidence: [{ span: disabled.span, reason: text('elasticsearch.plugin-off-here') }], listener, setting: disabled };
  }
  const enabled = xpackSecurity(config);
  if (enabled && !isFalse(enabled.text)) return { open: 'no', evidence: [] };
  if (enabled) return { open: 'yes', evidence: [{ span: enabled.span, reason: text('elasticsearch.security-off-here') }], listener, setting: enabled };
  // Unset: off in 6.x and 7.x with the basic licence, on by default from 8.0.
  return { open: 'version', evidence: [], listener };
}

/** Whether Elasticsearch / OpenSearch authenticates requests, from its configuration file or from the container that runs it. */
export function elasticsearchAuthentication(inputs: DatastoreInputs<EsConfig>): ElasticsearchAuthentication {
  if ('file' in inputs) return fileAuthentication(inputs.file);
  const { container } = inputs;
  const openAt = (evidence: AuthEvidence): ElasticsearchAuthentication => ({ open: 'yes', evidence: [evidence] });
  // Settings given as environment variables (the images read `xpack.security.enabled=false` and the like).
  const setting = container.env('xpack.security.enabled') ?? container.env('XPACK_SECURITY_ENABLED');
  const disabledPlugin = container.env('DISABLE_SECURITY_PLUGIN') ?? container.env('plugins.security.disabled');
  const commandFlag = container.command.find((arg) => /^-Expack\.security\.enabled=false$/.test(arg.text));
  if (setting && isFalse(setting.value)) return openAt({ span: setting.span, reason: text('elasticsearch.environment-security-false') });
  if (disabledPlugin && isTrue(disabledPlugin.value)) return openAt({ span: disabledPlugin.span, reason: text('elasticsearch.environment-plugin-disabled') });
  if (commandFlag) return openAt({ span: commandFlag.span, reason: text('elasticsearch.command-line-security-false') });
  if (isTrue(setting?.value)) return { open: 'no', evidence: [] };
  const mounted = container.mounted;
  const fileSetting = mounted && mounted !== 'unreadable' ? xpackSecurity(mounted.config) : undefined;
  if (fileSetting && isFalse(fileSetting.text)) return openAt({ span: fileSetting.span, reason: text('elasticsearch.mounted-file-security-false') });
  if (fileSetting) return { open: 'no', evidence: [] };
  const image = container.image ? parseImage(container.image.text) : undefined;
  if (!container.image || image?.name !== 'elasticsearch') return { open: 'unknown', evidence: [] };
  const major = majorVersion(image);
  if (major === 6 || major === 7) return openAt({ span: container.image.span, reason: text('elasticsearch.version-without-security', { major }) });
  return { open: major >= 8 ? 'no' : Number.isNaN(major) ? 'version' : 'unknown', evidence: [] };
}
