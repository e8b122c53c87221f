import type { ProjectSettings, RuleSetting } from './types';

/** The project configuration file, read by the CLI and the extension alike. */
export const PROJECT_CONFIG_FILE = '.secure-config-review.json';

const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info'];

export function defaultSettings(): ProjectSettings {
  return { rules: {}, trustedNetworks: [], fileAssociations: {} };
}

/**
 * Turns anything (parsed JSON, editor settings) into valid settings plus a list of what was ignored.
 * Later layers win: `normalizeSettings(a, b)` applies b over a.
 */
export function normalizeSettings(...layers: unknown[]): { settings: ProjectSettings; problems: string[] } {
  const settings = defaultSettings();
  const problems: string[] = [];
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (typeof layer !== 'object' || Array.isArray(layer)) {
      problems.push('settings must be an object');
      continue;
    }
    const raw = layer as Record<string, unknown>;
    if (raw.rules !== undefined) {
      if (typeof raw.rules !== 'object' || raw.rules === null || Array.isArray(raw.rules)) problems.push('"rules" must be an object');
      else
        for (const [id, value] of Object.entries(raw.rules)) {
          const setting = value === true ? undefined : value === false ? 'off' : value;
          if (setting === undefined) delete settings.rules[id];
          else if (RULE_SETTINGS.includes(setting as RuleSetting)) settings.rules[id] = setting as RuleSetting;
          else problems.push(`rule ${id}: expected one of ${RULE_SETTINGS.join(', ')}`);
        }
    }
    if (raw.trustedNetworks !== undefined) {
      if (Array.isArray(raw.trustedNetworks) && raw.trustedNetworks.every((item) => typeof item === 'string'))
        settings.trustedNetworks = [...raw.trustedNetworks];
      else problems.push('"trustedNetworks" must be a list of address ranges');
    }
    if (raw.fileAssociations !== undefined) {
      if (typeof raw.fileAssociations === 'object' && raw.fileAssociations !== null && !Array.isArray(raw.fileAssociations))
        for (const [glob, format] of Object.entries(raw.fileAssociations)) {
          if (typeof format === 'string') settings.fileAssociations[glob] = format;
          else problems.push(`fileAssociations ${glob}: expected a format id`);
        }
      else problems.push('"fileAssociations" must be an object');
    }
  }
  return { settings, problems };
}
