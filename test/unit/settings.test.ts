import assert from 'node:assert/strict';
import { parseJsonTree } from '../../src/core/json-tree';
import { normalizeSettings, readProjectFile, vocabularyOf } from '../../src/core/settings';
import { engine } from '../../src/product';

const vocabulary = vocabularyOf(engine);
const read = (source: string) => readProjectFile(source, vocabulary);
/** Each problem as `text-at-its-span: English message`. */
const problems = (source: string) =>
  read(source).problems.map((problem) => `${source.slice(problem.start, problem.end)}: ${engine.catalogue.resolve(problem.message).en}`);

describe('project file (.secure-config-review.json)', () => {
  it('reads a valid file into a settings layer', () => {
    const { layer, problems: found } = read(
      JSON.stringify({
        $schema: './schema.json',
        rules: { 'postfix/mynetworks-public-range': 'info', 'postfix/mynetworks-host-bits': false, 'redis/weak-requirepass': true },
        trustedNetworks: ['172.0.0.0/8', '2001:db8::/32', '192.0.2.7'],
        fileAssociations: { 'conf/*.cf': 'postfix-main', 'vendor/**': 'none' },
      }),
    );
    assert.deepEqual(found, []);
    assert.deepEqual(layer, {
      rules: { 'postfix/mynetworks-public-range': 'info', 'postfix/mynetworks-host-bits': 'off' },
      trustedNetworks: ['172.0.0.0/8', '2001:db8::/32', '192.0.2.7'],
      fileAssociations: { 'conf/*.cf': 'postfix-main', 'vendor/**': 'none' },
    });
    assert.deepEqual(normalizeSettings({ trustedNetworks: ['10.0.0.0/8'] }, layer).settings.trustedNetworks, ['172.0.0.0/8', '2001:db8::/32', '192.0.2.7']);
  });

  it('points at the key or value at fault, with a hint for near misses', () => {
    assert.deepEqual(problems('{ "rule": {} }'), [
      '"rule": unknown setting "rule" (did you mean "rules"?); known settings: $schema, rules, trustedNetworks, fileAssociations',
    ]);
    assert.deepEqual(problems('{ "rules": { "mynetworks-public-range": "off", "nonsense/rule": "off" } }'), [
      '"mynetworks-public-range": unknown rule "mynetworks-public-range" (did you mean "postfix/mynetworks-public-range"?)',
      '"nonsense/rule": unknown rule "nonsense/rule"',
    ]);
    assert.deepEqual(problems('{ "rules": { "postfix/mynetworks-public-range": "warn" } }'), [
      '"warn": rule "postfix/mynetworks-public-range": expected "off", "error", "warning", "info", true or false',
    ]);
    assert.deepEqual(problems('{ "trustedNetworks": ["banana", "172.0.0.0/88", 10, "10.0.0.0/8"] }'), [
      '"banana": banana is not an address range (an IPv4 or IPv6 address, optionally with /prefix)',
      '"172.0.0.0/88": 172.0.0.0/88 is not an address range (an IPv4 or IPv6 address, optionally with /prefix)',
      '10: 10 is not an address range (an IPv4 or IPv6 address, optionally with /prefix)',
    ]);
    assert.match(
      problems('{ "fileAssociations": { "*.conf": "ngnix", "": "nginx" } }').join('\n'),
      /^"ngnix": unknown format "ngnix" \(did you mean "nginx"\?\); known formats: .*\n"": a file pattern must not be empty$/,
    );
    assert.deepEqual(problems('{ "rules": {}, "rules": {} }'), ['"rules": "rules" is given more than once']);
    assert.deepEqual(problems('{ "$schema": 1 }'), ['1: "$schema" must be a string']);
    assert.deepEqual(problems('[]'), ['[]: the project file must hold one JSON object ({ ... })']);
  });

  it('keeps the valid part next to the problems (the editor goes on with it)', () => {
    const { layer } = read('{ "rules": { "postfix/mynetworks-public-range": "off", "nope": "off" }, "trustedNetworks": ["x", "10.0.0.0/8"] }');
    assert.deepEqual(layer, { rules: { 'postfix/mynetworks-public-range': 'off' }, trustedNetworks: ['10.0.0.0/8'] });
  });

  it('reports JSON syntax errors where they are', () => {
    const at = (source: string) => {
      const [problem] = read(source).problems;
      return `${problem!.start}: ${engine.catalogue.resolve(problem!.message).en}`;
    };
    assert.equal(at('{ "rules": {}, }'), '15: not valid JSON: unexpected character "}"');
    assert.equal(at('{ "rules": '), '11: not valid JSON: the file ends in the middle of a value');
    assert.equal(at('{ // comment\n}'), '2: not valid JSON: unexpected character "/"');
    assert.equal(at("{ 'rules': {} }"), '2: not valid JSON: unexpected character "\'"');
    assert.equal(at('{ "a\nb": 1 }'), '4: not valid JSON: a string contains a control character (write it as an escape such as \\n)');
    assert.equal(at('{} {}'), '3: not valid JSON: unexpected text after the end of the settings object');
    assert.equal(at('{ "rules": "\\q" }'), '12: not valid JSON: invalid escape sequence in a string');
    assert.equal(at('{ "x": "abc'), '7: not valid JSON: a string is not closed with "');
    assert.equal(at('['.repeat(500)), '201: not valid JSON: values are nested too deeply');
  });
});

describe('JSON tree reader', () => {
  it('reads what JSON.parse reads, with spans', () => {
    const source = '\ufeff{ "a": [1, -2.5e3, true, false, null, "\\u00e9\\n\\"x\\""], "b": {} }';
    const parsed = parseJsonTree(source);
    assert.ok('tree' in parsed);
    const tree = parsed.tree;
    assert.equal(tree.kind, 'object');
    if (tree.kind !== 'object') return;
    const [a, b] = tree.entries;
    assert.equal(source.slice(a!.keySpan.start, a!.keySpan.end), '"a"');
    assert.equal(a!.value.kind, 'array');
    if (a!.value.kind !== 'array') return;
    assert.deepEqual(
      a!.value.items.map((item) => ('value' in item ? item.value : item.kind)),
      [1, -2500, true, false, null, 'é\n"x"'],
    );
    assert.equal(source.slice(b!.value.start, b!.value.end), '{}');
  });

  it('refuses what JSON.parse refuses', () => {
    for (const bad of ['', '{', '{"a" 1}', '{"a":1,}', '[1,]', '01', '1.', '-', 'tru', '"\\x"', '{"a":1}}', 'NaN'])
      assert.ok('error' in parseJsonTree(bad), JSON.stringify(bad));
  });
});
