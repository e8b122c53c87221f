// Referee: Debian's own sshd judges the model. For every fixture, golden and corpus file (and a set of snippets
// that pin down sshd's stranger rules), `sshd -t` must refuse exactly the configurations we report parse
// problems for, and for each connection context — no connection (`sshd -T`), a stranger from a documentation
// address, and for every Match block a client inside it and, where the block admits them, a client from a
// public address — `sshd -T -C user=…,host=…,addr=…` must print, for every option the model evaluates, exactly
// the value the model gives that client. sshd only ever runs in test mode: nothing listens.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SourceText } from '../../../src/core/source';
import { defaultSettings } from '../../../src/core/settings';
import { AddressSet } from '../../../src/net';
import { sshdConfigFormat } from '../../../src/families/sshd/formats';
import type { SshdConfig } from '../../../src/families/sshd/model';
import type { Client } from '../../../src/families/sshd/match';
import { representative } from '../../../src/families/sshd/contexts';
import { parseSshdSyntax } from '../../../src/families/sshd/syntax';
import { includePattern, SSH_DIR } from '../../../src/families/sshd/include';
import { memoryFiles, parseAnnotated } from '../../support/fixtures';
import { SSHD, SshdHarness, systemGroups, systemUsers, testSpec } from './sshd';
import { SNIPPETS } from './snippets';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'test-fixtures/sshd');
const CORPUS = path.resolve(ROOT, '../shared/corpus/sshd');
/** A documentation address (RFC 5737) standing for any client on the internet. */
const STRANGER: Client = { user: 'stranger', host: '203.0.113.7', address: '203.0.113.7' };

interface Tree {
  name: string;
  /** Relative path -> text, as sshd reads it. */
  files: Map<string, string>;
  main: string;
}

function walk(folder: string, base = folder, root = true): string[] {
  // A subfolder with an sshd_config of its own is another fixture case.
  if (!root && existsSync(path.join(folder, 'sshd_config'))) return [];
  return readdirSync(folder).flatMap((entry) => {
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? walk(full, base, false) : [path.relative(base, full)];
  });
}

function allFiles(folder: string, base = folder): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? allFiles(full, base) : [path.relative(base, full)];
  });
}

/** Every fixture folder with an sshd_config (with its drop-ins), each golden variant, every corpus file, the snippets. */
export function referenceTrees(): Tree[] {
  const trees: Tree[] = [];
  if (existsSync(FIXTURES)) {
    const everything = allFiles(FIXTURES);
    // A case is a folder with an sshd_config (its drop-ins come with it), or a drop-in no sshd_config includes.
    const folders = everything
      .filter(
        (file) =>
          path.basename(file) === 'sshd_config' || (/\.conf$/.test(file) && !everything.includes(path.join(path.dirname(path.dirname(file)), 'sshd_config'))),
      )
      .map((file) => ({ folder: path.join(FIXTURES, path.dirname(file)), main: path.basename(file) }));
    for (const { folder, main } of folders) {
      const all = walk(folder).filter((file) => !file.endsWith('.golden') && !file.endsWith('README.md'));
      const files = new Map(all.map((file) => [file, parseAnnotated(readFileSync(path.join(folder, file), 'utf8')).text]));
      const name = path.relative(ROOT, path.join(folder, main));
      trees.push({ name, files, main });
      for (const file of walk(folder).filter((candidate) => candidate.endsWith('.golden'))) {
        const variant = new Map(files);
        variant.set(file.slice(0, -'.golden'.length), readFileSync(path.join(folder, file), 'utf8'));
        trees.push({ name: `${name} (${file})`, files: variant, main });
      }
    }
  }
  if (existsSync(CORPUS))
    for (const entry of readdirSync(CORPUS).sort())
      trees.push({ name: `corpus/sshd/${entry}`, files: new Map([[entry, readFileSync(path.join(CORPUS, entry), 'utf8')]]), main: entry });
  for (const snippet of SNIPPETS) trees.push({ name: `snippet: ${snippet.name}`, files: new Map(Object.entries(snippet.files)), main: 'sshd_config' });
  return trees;
}

/** The text sshd reads from the temporary copy: /etc/ssh paths (and relative ones) of Include point into the copy. */
function rerooted(text: string, folder: string): string {
  const source = new SourceText('/x', text);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const line of parseSshdSyntax(source).lines) {
    if (line.name !== 'include' || !line.args) continue;
    for (const token of line.args) {
      const pattern = includePattern(token.value);
      if (!pattern.startsWith(`${SSH_DIR}/`)) continue;
      const replaced = `${folder}${pattern.slice(SSH_DIR.length)}`;
      edits.push({ start: token.start, end: token.end, text: /[\s"']/.test(replaced) ? `"${replaced}"` : replaced });
    }
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

async function loadModel(tree: Tree): Promise<SshdConfig> {
  const base = `/referee/${tree.name.replace(/[^\w.-]+/g, '_')}`;
  const files = new Map([...tree.files].map(([file, text]) => [`${base}/${file}`, text]));
  const main = `${base}/${tree.main}`;
  const loaded = await sshdConfigFormat.load(new SourceText(main, tree.files.get(tree.main)!), { files: memoryFiles(files), settings: defaultSettings() });
  return loaded.model;
}

/** The connections asked about: none, the stranger, and for each Match block a client inside it (public if it can be). */
function clientsFor(config: SshdConfig): Array<Client | undefined> {
  const ports = (config.global.get('port')?.value as readonly number[] | undefined) ?? [22];
  const localPortBlocks = config.blocks.some((block) => block.condition.criteria.some((criterion) => criterion.attribute === 'localport'));
  // `sshd -T` without -C dies on a LocalPort criterion ("lport not in connection test specification").
  const out: Array<Client | undefined> = localPortBlocks ? [] : [undefined];
  out.push({ ...STRANGER, localPort: ports[0]! });
  for (const block of config.blocks.filter((candidate) => !candidate.condition.all)) {
    const trusted = AddressSet.empty;
    if (block.condition.criteria.some((criterion) => criterion.attribute === 'group')) {
      // sshd looks group membership up on this machine: find a real user in the block's groups.
      for (const user of systemUsers()) {
        const client = representative(config, block, { public: false, trusted, user, groups: systemGroups(user) });
        if (client) {
          out.push(client);
          break;
        }
      }
      continue;
    }
    for (const wantPublic of [true, false]) {
      const client = representative(config, block, { public: wantPublic, trusted });
      if (client && !out.some((known) => JSON.stringify(known) === JSON.stringify(client))) out.push(client);
    }
  }
  return out;
}

describe('referee: Debian sshd agrees with the sshd_config model', function () {
  this.timeout(300_000);
  let harness: SshdHarness | undefined;
  after(() => harness?.dispose());

  it('sshd -t refuses exactly what we report, and sshd -T gives every client what the model gives it', async function () {
    if (!SSHD) {
      if (process.env.CI === 'true') assert.fail('sshd is not installed (CI must install openssh-server)');
      this.skip();
    }
    harness = new SshdHarness();
    const trees = referenceTrees();
    const disagreements: string[] = [];
    let accepted = 0;
    let refused = 0;
    let contexts = 0;
    let compared = 0;
    let modelled = 0;
    await Promise.all(
      trees.map(async (tree) => {
        const config = await loadModel(tree);
        const folder = harness!.newTree();
        for (const [file, text] of tree.files) harness!.write(path.join(folder, file), rerooted(text, folder));
        const mainPath = path.join(folder, tree.main);
        const check = await harness!.check(mainPath);
        const weRefuse = config.problems.length > 0;
        if (check.ok !== !weRefuse)
          disagreements.push(
            `${tree.name}: sshd -t ${check.ok ? 'accepts it' : `refuses it (${check.output.trim().split('\n').pop()})`}, we report ${config.problems.length} problem(s)`,
          );
        if (!check.ok) {
          refused++;
          if (process.env.REFEREE_VERBOSE) console.log(`  refused: ${tree.name}: ${check.output.trim().split('\n').pop()}`);
          return;
        }
        accepted++;
        for (const base of clientsFor(config)) {
          const client = base && { ...base, groups: systemGroups(base.user) };
          const spec = client ? testSpec(client) : undefined;
          if (client && spec === undefined) continue;
          const answer = await harness!.dump(mainPath, spec);
          contexts++;
          if (!answer.ok) {
            disagreements.push(`${tree.name} [${spec ?? 'no -C'}]: sshd -T failed: ${answer.output.trim().split('\n').pop()}`);
            continue;
          }
          const dump = config.evaluate(client).dump();
          modelled = Math.max(modelled, dump.size);
          for (const [field, lines] of dump) {
            compared++;
            const theirs = answer.options.get(field) ?? [];
            if (JSON.stringify(theirs) !== JSON.stringify(lines))
              disagreements.push(`${tree.name} [${spec ?? 'no -C'}] ${field}: model ${JSON.stringify(lines)}, sshd ${JSON.stringify(theirs)}`);
          }
        }
      }),
    );
    console.log(
      `      sshd referee: ${trees.length} files (${accepted} accepted by sshd -t, ${refused} refused), ${contexts} contexts, ${compared} keyword values compared (up to ${modelled} keywords a context), ${disagreements.length} disagreements`,
    );
    assert.ok(compared > 0, 'nothing was compared');
    assert.deepEqual(disagreements, []);
  });
});
