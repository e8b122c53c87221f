// Compose variable interpolation: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
// ${VAR?error}, ${VAR:+alt}, ${VAR+alt}; `$$` is a literal dollar. Values come from the project's .env file.

export interface Interpolated {
  text: string;
  /** A variable had no value and no default: the real text is not known. */
  unknown: boolean;
  /** Names of variables whose default (not a set value) was used. */
  defaulted: string[];
}

export function interpolate(text: string, env: ReadonlyMap<string, string>): Interpolated {
  let unknown = false;
  const defaulted: string[] = [];
  const out = text.replace(
    /\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_]\w*)/g,
    (whole, braced?: string, operator?: string, operand?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      const value = env.get(name);
      const set = value !== undefined && (!operator?.startsWith(':') || value !== '');
      if (operator?.endsWith('+')) return set ? interpolate(operand ?? '', env).text : '';
      if (set) return value!;
      if (operator?.endsWith('-')) {
        defaulted.push(name);
        const inner = interpolate(operand ?? '', env);
        unknown ||= inner.unknown;
        return inner.text;
      }
      unknown = true;
      return '';
    },
  );
  return { text: out, unknown, defaulted };
}

/** `.env` / env_file lines: NAME=value, `export NAME=value`, quotes, `#` comments. */
export function parseEnvFile(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split(/\r?\n/).forEach((line, index) => {
    // NAME = value, scanned once (blanks around `=` and at both ends are not part of the value).
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=/.exec(line);
    if (!match || line.trim().startsWith('#')) return;
    let value = line.slice(match[0].length).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    else value = withoutBlankComment(value);
    out.set(match[1]!, { value, line: index });
  });
  return out;
}

/** A value without a comment that starts with blanks and `#` (and without the blanks). */
function withoutBlankComment(value: string): string {
  for (let i = 1; i < value.length; i++) if (value[i] === '#' && /\s/.test(value[i - 1]!)) return value.slice(0, i).trimEnd();
  return value;
}
