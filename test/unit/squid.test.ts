// Squid's configuration semantics as the parser and access model implement them (each settled by squid -k
// parse and a namespaced Squid in test/referee/squid): logical lines, address entries with Squid's quirks, and
// http_access answered for every client address.
import assert from 'node:assert/strict';
import type { ParseProblem } from '../../src/core/format';
import { SourceText } from '../../src/core/source';
import { parseSquid } from '../../src/families/squid/syntax';
import { keepEntries, parseAddressEntry } from '../../src/families/squid/addresses';
import { loadSquid } from '../../src/families/squid/load';
import { connectRequest, getRequest, literalSample, posixRegExp, verdictFor, walkAccess } from '../../src/families/squid/access';
import { parseRange } from '../../src/net';
import { memoryFiles } from '../support/fixtures';

const span = { file: '/s', start: 0, end: 0 };
const cidrs = (text: string) => parseAddressEntry(text, span).set?.toCidrs();

async function load(text: string) {
  const problems: ParseProblem[] = [];
  const config = await loadSquid(new SourceText('/etc/squid/squid.conf', text), memoryFiles(new Map([['/etc/squid/squid.conf', text]])), problems);
  return { config, problems: problems.map((problem) => problem.message.text) };
}

const at = (text: string) => parseRange(text)!.written;

describe('Squid configuration', () => {
  it('reads logical lines as Squid prints them: continuations across comment lines, macros, # words, if/else', () => {
    const problems: ParseProblem[] = [];
    const lines = parseSquid(
      new SourceText(
        '/s.conf',
        'acl a src 10.0.0.0/8 \\\n# skipped\n  10.1.0.0/16 # words\r\nif ${process_number} = 0\nacl b dstdomain ${service_name}.example\nelse\nacl c src all\nendif\n',
      ),
      problems,
    );
    assert.deepEqual(
      lines.map((line) => [line.text, line.active]),
      [
        ['acl a src 10.0.0.0/8 10.1.0.0/16 # words', true],
        ['if 0 = 0', true],
        ['acl b dstdomain squid.example', true],
        ['else', true],
        ['acl c src all', false],
        ['endif', true],
      ],
    );
    assert.deepEqual(
      lines[0]!.args.map((arg) => arg.text),
      ['a', 'src', '10.0.0.0/8', '10.1.0.0/16'],
    );
    assert.deepEqual(problems, []);
  });

  it('reads address entries as acl_ip_data does, quirks included', () => {
    assert.deepEqual(cidrs('10.1.2.3/8'), ['10.0.0.0/8']);
    assert.equal(parseAddressEntry('10.1.2.3/8', span).hostBitsSet, true);
    assert.deepEqual(cidrs('172.16.0.0/255.255.0.0'), ['172.16.0.0/16']);
    assert.deepEqual(cidrs('192.168.7.9-192.168.8.1'), [
      '192.168.7.9/32',
      '192.168.7.10/31',
      '192.168.7.12/30',
      '192.168.7.16/28',
      '192.168.7.32/27',
      '192.168.7.64/26',
      '192.168.7.128/25',
      '192.168.8.0/31',
    ]);
    // /0 leaves the mask whole; only the spellings of `all` mean everything.
    assert.deepEqual(cidrs('10.0.0.0/0'), ['10.0.0.0/32']);
    assert.equal(parseAddressEntry('0.0.0.0/0', span).all, true);
    // Neither family: a prefix above 32 clears every bit.
    assert.deepEqual(cidrs('::ffff:10.9.0.0/112'), ['::/0']);
    assert.equal(parseAddressEntry('10.0.0.0/40', span).invalid, true);
    assert.equal(parseAddressEntry('proxy.example.org', span).set, undefined);
  });

  it('drops an entry that overlaps an earlier one, as the splay tree does', () => {
    const entries = ['10.1.0.0/16', '10.0.0.0/8', '192.168.0.0/16'].map((text) => parseAddressEntry(text, span));
    assert.deepEqual(keepEntries(entries).toCidrs(), ['10.1.0.0/16', '192.168.0.0/16']);
    assert.deepEqual(
      entries.map((entry) => Boolean(entry.ignored)),
      [false, true, false],
    );
  });

  it('answers http_access for every client: first match, lines without ACLs skipped, implicit opposite of the last line', async () => {
    const { config, problems } = await load(
      'acl localnet src 10.0.0.0/8\nacl SSL_ports port 443\nacl localhost src 127.0.0.0/8\nhttp_access deny CONNECT !SSL_ports\nhttp_access allow\nhttp_access allow localnet\nhttp_access deny localhost\n',
    );
    assert.deepEqual(problems, []);
    const get = walkAccess(config, getRequest());
    assert.equal(verdictFor(get, at('10.2.3.4'))!.verdict, 'allow');
    assert.equal(verdictFor(get, at('127.0.0.1'))!.verdict, 'deny');
    // The predefined localhost is 127.0.0.1 and ::1: the appended 127.0.0.0/8 overlaps it and is dropped.
    assert.equal(verdictFor(get, at('127.0.0.2'))!.verdict, 'allow');
    assert.equal(verdictFor(get, at('203.0.113.9'))!.rule, undefined);
    assert.equal(verdictFor(walkAccess(config, connectRequest(25)), at('10.2.3.4'))!.verdict, 'deny');
  });

  it('judges url_regex only where POSIX and JavaScript agree, and finds the text a client can append', () => {
    assert.ok(posixRegExp('windowsupdate\\.com', true)!.test('http://x/?WindowsUpdate.com'));
    assert.equal(posixRegExp('[[:digit:]]+', false), undefined);
    assert.equal(posixRegExp('\\w+', false), undefined);
    assert.equal(literalSample('127\\.0\\.0\\.1'), '127.0.0.1');
    assert.equal(literalSample('^http://intranet/'), undefined);
    assert.equal(literalSample('$VPS_IP'), undefined);
  });

  it('reports what Squid refuses, and an http_access line it skips', async () => {
    const { problems } = await load('acl a src 10.0.0.0/8\nacl a dstdomain .example\nhttp_access allow b\nhttp_access permit a\nacl c src 1.2.3.4/33\nendif\n');
    assert.deepEqual(problems, ['squid.endif-without-if', 'squid.acl-type-changed', 'squid.acl-not-found', 'squid.access-action', 'squid.acl-bad-netmask']);
  });
});
