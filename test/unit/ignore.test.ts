import assert from 'node:assert/strict';
import { IgnoreRules, isIgnored, isIgnoredBelow } from '../../src/core/ignore';

describe('ignore patterns (gitignore syntax)', () => {
  const rules = (text: string) => IgnoreRules.parse(text);

  it('matches names at any depth unless a slash anchors them', () => {
    const plain = rules('*.bak\nbuild\n');
    assert.equal(plain.decide('main.cf.bak', false), true);
    assert.equal(plain.decide('a/b/main.cf.bak', false), true);
    assert.equal(plain.decide('a/build', true), true);
    assert.equal(plain.decide('a/builder', true), undefined);
    const anchored = rules('/build\ndocs/*.conf\n');
    assert.equal(anchored.decide('build', true), true);
    assert.equal(anchored.decide('a/build', true), undefined);
    assert.equal(anchored.decide('docs/x.conf', false), true);
    assert.equal(anchored.decide('docs/sub/x.conf', false), undefined);
  });

  it('handles **, trailing slashes, negation, classes, escapes and comments', () => {
    const set = rules('# comment\n\n**/cache/**\nlogs/\n!logs/\n[ab].cf\n\\#literal\n\\!bang\nx?.conf\na/**/b\n');
    assert.equal(set.decide('cache/x', false), true);
    assert.equal(set.decide('p/cache/q/r', false), true);
    assert.equal(set.decide('cache', true), undefined, '`cache/**` is what is inside, not the folder');
    assert.equal(set.decide('logs', true), false, 'the later !logs/ re-includes');
    assert.equal(set.decide('a.cf', false), true);
    assert.equal(set.decide('c.cf', false), undefined);
    assert.equal(set.decide('#literal', false), true);
    assert.equal(set.decide('!bang', false), true);
    assert.equal(set.decide('x1.conf', false), true);
    assert.equal(set.decide('x12.conf', false), undefined);
    assert.equal(set.decide('a/b', false), true);
    assert.equal(set.decide('a/x/y/b', false), true);
    assert.equal(rules('logs/\n').decide('logs', false), undefined, 'a trailing slash matches folders only');
    assert.equal(rules('[!a].cf\n').decide('a.cf', false), undefined);
    assert.equal(rules('[!a].cf\n').decide('b.cf', false), true);
  });

  it('lets a deeper ignore file decide over a shallower one', () => {
    const scopes = [
      { folder: '/p', rules: rules('*.conf\n') },
      { folder: '/p/keep', rules: rules('!*.conf\n') },
    ];
    assert.equal(isIgnored(scopes, '/p/a.conf', false), true);
    assert.equal(isIgnored(scopes, '/p/keep/a.conf', false), false);
    assert.equal(isIgnored(scopes, '/elsewhere/a.conf', false), false);
  });

  it('leaves out everything in a left-out folder, and the default folders', () => {
    const scopes = [{ folder: '/w', rules: rules('old/\n') }];
    assert.equal(isIgnoredBelow(scopes, '/w', '/w/old/x/main.cf'), true);
    assert.equal(isIgnoredBelow(scopes, '/w', '/w/new/x/main.cf'), false);
    assert.equal(isIgnoredBelow([], '/w', '/w/a/node_modules/pkg/main.cf'), true);
    assert.equal(isIgnoredBelow([], '/w', '/w/.git/main.cf'), true);
    assert.equal(isIgnoredBelow([], '/w', '/w/.github/compose.yml'), false);
  });
});
