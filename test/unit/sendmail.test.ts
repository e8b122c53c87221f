// Sendmail's .mc reading, octet prefixes and the relay decision (settled by test/referee/sendmail).
import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import { defaultSettings } from '../../src/core/settings';
import { octetPrefix, octetPrefixesFor } from '../../src/families/sendmail/access';
import { sendmailAccess, sendmailMc } from '../../src/families/sendmail/formats';
import { parseMc } from '../../src/families/sendmail/mc';
import { relayVerdict } from '../../src/families/sendmail/relay';
import { parseRange } from '../../src/net';
import { memoryFiles } from '../support/fixtures';

const address = (text: string) => parseRange(text)!.range.start;

describe('Sendmail', () => {
  it('reads octet prefixes as Sendmail matches them', () => {
    assert.equal(octetPrefix('172')!.prefix, 8);
    assert.equal(octetPrefix('192.168.1')!.range.start, parseRange('192.168.1.0/24')!.range.start);
    assert.equal(octetPrefix('10.1.2.3')!.prefix, 32);
    assert.equal(octetPrefix('256'), undefined);
    assert.equal(octetPrefix('localhost'), undefined);
    assert.deepEqual(octetPrefixesFor('172.16.0.0/12')!.slice(0, 2), ['172.16', '172.17']);
    assert.equal(octetPrefixesFor('172.16.0.0/12')!.length, 16);
    assert.deepEqual(octetPrefixesFor('192.168.0.0/16'), ['192.168']);
    assert.equal(octetPrefixesFor('0.0.0.0/0'), undefined);
  });

  it('reads m4: dnl, # comments, quotes, nested parentheses, LOCAL_CONFIG lines', () => {
    const mc = parseMc(
      new SourceText(
        '/etc/mail/sendmail.mc',
        "dnl FEATURE(`promiscuous_relay')\n# FEATURE(`relay_local_from')\nFEATURE(`access_db', `hash -o /etc/mail/access')dnl\ndefine(`confX', `a, (b)')dnl\nLOCAL_CONFIG\nCR172.16\n",
      ),
    );
    assert.deepEqual(
      mc.calls.map((call) => [call.name, call.args.map((arg) => arg.value)]),
      [
        ['FEATURE', ['access_db', 'hash -o /etc/mail/access']],
        ['define', ['confX', 'a, (b)']],
        ['LOCAL_CONFIG', []],
      ],
    );
    assert.deepEqual(
      mc.localConfig.map((line) => line.text),
      ['CR172.16'],
    );
  });

  it('decides relaying by the longest access key, Connect: before the untagged key, and class R prefixes', async () => {
    const files = memoryFiles(
      new Map([
        ['/etc/mail/sendmail.mc', "FEATURE(`access_db')dnl\n"],
        ['/etc/mail/access', 'Connect:172 RELAY\n172.20 RELAY\nConnect:172.20 REJECT\n192.168 RELAY\n'],
        ['/etc/mail/relay-domains', '10.1\nexample.org\n'],
      ]),
    );
    const loaded = await sendmailAccess.load(new SourceText('/etc/mail/access', (await files.readFile('/etc/mail/access'))!), {
      files,
      settings: defaultSettings(),
    });
    const config = loaded.model;
    assert.equal(relayVerdict(config, address('172.1.2.3')), 'relay');
    assert.equal(relayVerdict(config, address('172.20.1.1')), 'refuse');
    assert.equal(relayVerdict(config, address('192.168.9.9')), 'relay');
    assert.equal(relayVerdict(config, address('10.1.0.1')), 'relay');
    assert.equal(relayVerdict(config, address('10.2.0.1')), 'refuse');
    assert.equal(relayVerdict(config, address('127.0.0.1')), 'relay');
  });

  it("ignores the access map when the .mc has no FEATURE(`access_db') and relays for all with promiscuous_relay", async () => {
    const files = memoryFiles(new Map([['/etc/mail/access', 'Connect:8 RELAY\n']]));
    const without = await sendmailMc.load(new SourceText('/etc/mail/sendmail.mc', "OSTYPE(`debian')dnl\n"), { files, settings: defaultSettings() });
    assert.equal(relayVerdict(without.model, address('8.8.8.8')), 'refuse');
    const open = await sendmailMc.load(new SourceText('/etc/mail/sendmail.mc', "FEATURE(`promiscuous_relay')dnl\n"), { files, settings: defaultSettings() });
    assert.equal(relayVerdict(open.model, address('8.8.8.8')), 'relay');
  });

  it('never crashes on damaged input', async () => {
    for (const text of ['FEATURE(`x', "define(`a', `b", ')))(((', '`'.repeat(5000), 'dnl', 'LOCAL_CONFIG\nCR\nFR\n'])
      await sendmailMc.load(new SourceText('/etc/mail/sendmail.mc', text), { files: memoryFiles(new Map()), settings: defaultSettings() });
  });
});
