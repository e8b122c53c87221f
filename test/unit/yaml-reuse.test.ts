// Parsed YAML documents are kept per path and reused on the next lint (only changed documents are parsed again,
// the others' ranges moved): a reused parse must be exactly the cold, whole-stream parse of the same text.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlias, isCollection, isPair, isScalar, parseAllDocuments } from 'yaml';
import { SourceText } from '../../src/core/source';
import type { ParseProblem } from '../../src/core/format';
import { clearYamlCache, parseYaml } from '../../src/families/shared/yaml-tree';

/** Every node of every document with its kind, range and value, and the syntax errors: what the families read. */
function dump(documents: readonly { contents: unknown; range?: unknown; errors: readonly { pos: [number, number]; message: string }[] }[]): string {
  const out: unknown[] = [];
  for (const document of documents) {
    out.push(['doc', document.range]);
    const stack: unknown[] = [document.contents];
    while (stack.length) {
      const node = stack.pop();
      if (isPair(node)) {
        out.push('pair');
        stack.push(node.value, node.key);
      } else if (isScalar(node)) out.push(['scalar', node.type, node.range, node.value, node.anchor, node.tag]);
      else if (isAlias(node)) out.push(['alias', node.range, node.source]);
      else if (isCollection(node)) {
        out.push(['collection', node.constructor.name, node.range, node.anchor, node.tag, node.flow ?? false, node.items.length]);
        for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
      } else out.push(['other', node === null ? null : typeof node]);
    }
  }
  return JSON.stringify(out);
}

function problemsOf(problems: readonly ParseProblem[]): string {
  return JSON.stringify(problems.map((problem) => [problem.span.start, problem.span.end, problem.message]));
}

/** The whole stream parsed at once, as before reuse: its tree and its syntax errors. */
function whole(textValue: string): { tree: string; errors: string } {
  const parsed = parseAllDocuments(textValue.replace(/\r(?!\n)/g, '\n'), { prettyErrors: false, strict: false, uniqueKeys: false });
  const documents = Array.isArray(parsed) ? parsed : [];
  const errors = documents.flatMap((document) =>
    document.errors.map((error) => [error.pos[0], Math.max(error.pos[1], error.pos[0] + 1), error.message.split('\n')[0]]),
  );
  return { tree: dump(documents), errors: JSON.stringify(errors) };
}

function syntaxErrors(problems: readonly ParseProblem[]): string {
  return JSON.stringify(
    problems
      .filter((problem) => problem.message.text === 'yaml.syntax-error' && problem.message.data?.detail !== 'Map keys must be unique')
      .map((problem) => [problem.span.start, problem.span.end, problem.message.data?.detail]),
  );
}

function cold(file: string, textValue: string): { tree: string; problems: string } {
  clearYamlCache();
  const problems: ParseProblem[] = [];
  const parsed = parseYaml(new SourceText(file, textValue), problems);
  clearYamlCache();
  return { tree: dump(parsed.documents), problems: problemsOf(problems) };
}

function yamlFiles(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/i.test(entry.name) && fs.statSync(full).size < 200_000) out.push(full);
  }
  return out.sort();
}

/** A small seeded generator (the same edits on every run). */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

const corpus = [path.resolve('../shared/corpus'), '/work/shared/corpus'].find((dir) => fs.existsSync(dir));

/** A Compose file with many services (its `services:` entries are parsed in groups), an anchor merged into each. */
function manyServices(count: number): string {
  const out = ['version: "3"', 'x-common: &common', '  restart: always', 'services:'];
  for (let i = 0; i < count; i++)
    out.push(
      `  svc${i}:`,
      '    <<: *common',
      `    image: ${i % 3 ? 'nginx:1.27' : 'redis:7'}`,
      '    ports:',
      `      - "${10000 + i}:80"`,
      '    environment:',
      `      KEY_${i}: value`,
    );
  out.push('volumes:', '  data: {}');
  return out.join('\n') + '\n';
}
const files = [...yamlFiles(path.resolve('test-fixtures')), ...(corpus ? yamlFiles(corpus) : [])];

describe('YAML parse reuse across lints', () => {
  it('finds YAML files to compare', () => {
    assert.ok(files.length > 10, `only ${files.length} YAML files`);
  });

  it('a chunked parse equals the whole-stream parse of the same text', () => {
    for (const file of files) {
      const textValue = fs.readFileSync(file, 'utf8');
      assert.equal(cold(file, textValue).tree, whole(textValue).tree, file);
    }
  });

  it('a file of many services, parsed in groups and edited, equals the whole-stream parse', () => {
    const next = random(11);
    let textValue = manyServices(150);
    const edits = ['x', ' ', '\n', '  svcX:\n    image: y\n', '*common', '&a ', '"', '#', '\t', 'k: [', '}', '\nvolumes:\n'];
    clearYamlCache();
    for (let step = 0; step < 25; step++) {
      const at = next(textValue.length + 1);
      textValue = next(4)
        ? textValue.slice(0, at) + edits[next(edits.length)]! + textValue.slice(at)
        : textValue.slice(0, at) + textValue.slice(Math.min(textValue.length, at + 1 + next(30)));
      const problems: ParseProblem[] = [];
      const warm = parseYaml(new SourceText('/reuse/compose.yaml', textValue), problems);
      const stream = whole(textValue);
      assert.equal(dump(warm.documents), stream.tree, `step ${step}`);
      assert.equal(syntaxErrors(problems), stream.errors, `step ${step}`);
    }
  });

  it('keeps the edited file while the lint parses the other manifests of its folder', () => {
    clearYamlCache();
    const manifest = (name: string) => `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n---\napiVersion: v1\nkind: ConfigMap\n`;
    const parse = (file: string, text: string) => parseYaml(new SourceText(file, text), []);
    const edited = parse('/k8s/edited.yaml', manifest('edited'));
    // One keystroke: the lint parses the edited file, then its twelve neighbours.
    for (let i = 0; i < 12; i++) parse(`/k8s/other-${i}.yaml`, manifest(`other-${i}`));
    const again = parse('/k8s/edited.yaml', `${manifest('edited')}data: {}\n`);
    assert.equal(again.documents[0], edited.documents[0], 'the unchanged first document is reused, not parsed again');
    assert.notEqual(again.documents[1], edited.documents[1]);
  });

  it('keeps the parse of a file over a megabyte: an edit in its last document parses that document alone', () => {
    clearYamlCache();
    const documents = Array.from(
      { length: 3000 },
      (_, index) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: map-${index}\ndata:\n  key: ${'v'.repeat(300)}\n`,
    );
    const textValue = `---\n${documents.join('---\n')}`;
    assert.ok(textValue.length > 1_100_000, `${textValue.length} characters`);
    const first = parseYaml(new SourceText('/k8s/large.yaml', textValue), []);
    const edited = `${textValue}  more: x\n`;
    const again = parseYaml(new SourceText('/k8s/large.yaml', edited), []);
    assert.equal(again.documents.length, 3000);
    assert.equal(again.documents[0], first.documents[0], 'the unchanged first document is reused, not parsed again');
    assert.notEqual(again.documents[2999], first.documents[2999]);
    assert.equal(dump(again.documents), whole(edited).tree);
  });

  it('a reused parse after edits equals a cold parse of the edited text', () => {
    const next = random(16);
    const pieces = [
      '---\n',
      '--- ',
      '---\n---\n',
      'a: [1,\n',
      '"x\n',
      "'",
      ': ',
      '- ',
      '  ',
      '\t',
      '&a ',
      '*a ',
      '<<: *a\n',
      '#',
      '\n',
      'k: v\n',
      '...\n',
      '%YAML 1.2\n',
      '|\n',
      '{',
      '}',
      '\r',
      '\r\n',
    ];
    // A fixed sample keeps the test short; every file is compared unedited above.
    for (const file of files.filter((_, index) => index % 5 === 0)) {
      let textValue = fs.readFileSync(file, 'utf8');
      // Several documents, some identical, so reuse has something to find.
      // Or one long document (its top-level entries are parsed in groups).
      if (next(2)) textValue = `${textValue}\n---\n${textValue}\n---\n${textValue}`;
      else textValue = Array.from({ length: 1 + Math.ceil(6000 / (textValue.length + 1)) }, () => textValue).join('\n');
      const name = `/reuse/${path.basename(file)}`;
      clearYamlCache();
      for (let step = 0; step < 8; step++) {
        const at = next(textValue.length + 1);
        const choice = next(3);
        if (choice === 0) textValue = textValue.slice(0, at) + pieces[next(pieces.length)]! + textValue.slice(at);
        else if (choice === 1) textValue = textValue.slice(0, at) + textValue.slice(Math.min(textValue.length, at + 1 + next(8)));
        else textValue = textValue.slice(0, at) + 'x' + textValue.slice(at);
        const problems: ParseProblem[] = [];
        const warm = parseYaml(new SourceText(name, textValue), problems);
        const warmTree = dump(warm.documents);
        const warmProblems = problemsOf(problems);
        const reference = cold(name, textValue);
        // cold() cleared the cache: parse once more so the next step reuses this text's chunks.
        parseYaml(new SourceText(name, textValue), []);
        assert.equal(warmTree, reference.tree, `${file} step ${step}`);
        assert.equal(warmProblems, reference.problems, `${file} step ${step}`);
        const stream = whole(textValue);
        assert.equal(warmTree, stream.tree, `${file} step ${step}: tree differs from the whole-stream parse`);
        assert.equal(syntaxErrors(problems), stream.errors, `${file} step ${step}: errors differ from the whole-stream parse`);
      }
    }
  });
});
