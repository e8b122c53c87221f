// The firewall families remember values read from rule text between lints (addresses, port lists, written
// ranges: forgetFirewallValues in shared/firewall/model.ts). A re-lint after an edit must report exactly what
// a cold lint of the same text reports: every firewall fixture and corpus file, edited with seeded edits.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAccess, Finding } from '../../src/core/types';
import { forgetFirewallValues } from '../../src/families/shared/firewall';
import { engine } from '../../src/product';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['iptables', 'ufw', 'firewalld', 'nftables'];
const CORPUS = [path.resolve(ROOT, '../shared/corpus'), '/work/shared/corpus'].find((dir) => fs.existsSync(dir));

function listFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile() && !entry.name.endsWith('.golden') && !entry.name.endsWith('.md')) out.push(full);
  }
  return out;
}

/** The disk as it is, except the file being edited (its sibling files are read as they are). */
function filesWith(file: string, text: string): FileAccess {
  return {
    readFile: async (other) => (other === file ? text : fs.existsSync(other) && fs.statSync(other).isFile() ? fs.readFileSync(other, 'utf8') : undefined),
    readDirectory: async (folder) => (fs.existsSync(folder) && fs.statSync(folder).isDirectory() ? fs.readdirSync(folder) : undefined),
  };
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** One edit a user could make: a character typed or deleted, a digit changed, a line duplicated or removed. */
function edit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const kind = Math.floor(random() * 5);
  if (kind === 0) return text.slice(0, at) + '0123456789./:,- \n#!'[Math.floor(random() * 19)] + text.slice(at);
  if (kind === 1) return text.slice(0, at) + text.slice(at + 1);
  if (kind === 2) {
    const digits = [...text.matchAll(/\d/g)];
    const digit = digits[Math.floor(random() * digits.length)];
    if (!digit) return text;
    return text.slice(0, digit.index) + String(Math.floor(random() * 10)) + text.slice(digit.index! + 1);
  }
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const end = text.indexOf('\n', at);
  const line = text.slice(start, end < 0 ? text.length : end + 1);
  return kind === 3 ? text.slice(0, start) + line + text.slice(start) : text.slice(0, start) + text.slice(start + line.length);
}

const shown = (findings: readonly Finding[]) =>
  JSON.stringify(findings.map((f) => [f.ruleId, f.severity, f.start, f.end, f.message, f.related, f.suggestions, f.fix ?? null]));

/** A generated rules file with many distinct addresses and ports (what the per-keystroke benchmark lints). */
function generatedRules(lines: number): string {
  const out = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -p tcp --dport 6379 -j ACCEPT'];
  for (let i = 0; out.length < lines - 1; i++) out.push(`-A INPUT -p tcp -s 10.${i >> 8}.${i % 256}.0/24 --dport ${1000 + i} -j ACCEPT`);
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

describe('firewall re-lints: values remembered between lints give what a cold lint gives', function () {
  const files = [
    ...FOLDERS.flatMap((folder) => listFiles(path.join(ROOT, 'test-fixtures', folder))),
    ...(CORPUS ? FOLDERS.flatMap((f) => listFiles(path.join(CORPUS, f))) : []),
  ];

  it('finds firewall files to edit', () => {
    assert.ok(files.length >= 20, `only ${files.length} firewall files`);
  });

  it('every fixture and corpus file, 8 seeded edits each', async () => {
    let compared = 0;
    for (const [index, file] of files.entries()) {
      const random = seeded(index + 1);
      let text = fs.readFileSync(file, 'utf8');
      const lint = (value: string) => engine.lintFile(file, value, { files: filesWith(file, value) });
      const first = await lint(text);
      if (!first.format) continue;
      const format = first.format;
      for (let step = 0; step < 8; step++) {
        text = edit(text, random);
        const warm = await engine.lintFile(file, text, { files: filesWith(file, text), format });
        forgetFirewallValues();
        const cold = await engine.lintFile(file, text, { files: filesWith(file, text), format });
        assert.equal(shown(warm.findings), shown(cold.findings), `${path.relative(ROOT, file)} after edit ${step + 1}`);
        compared++;
      }
    }
    assert.ok(compared >= 150, `only ${compared} comparisons`);
  });

  it('a generated 400-line rules file, edited in its addresses and ports', async () => {
    const file = '/relint/rules.v4';
    const random = seeded(99);
    let text = generatedRules(400);
    await engine.lintFile(file, text, { files: filesWith(file, text) });
    for (let step = 0; step < 20; step++) {
      text = edit(text, random);
      const warm = await engine.lintFile(file, text, { files: filesWith(file, text), format: 'iptables-save' });
      forgetFirewallValues();
      const cold = await engine.lintFile(file, text, { files: filesWith(file, text), format: 'iptables-save' });
      assert.equal(shown(warm.findings), shown(cold.findings), `edit ${step + 1}`);
    }
  });
});
