// Sendmail's .mc reading, octet prefixes and the relay decision (settled by test/referee/sendmail).
import assert from 'node:assert/strict';
import { SourceText } from '../../src/core/source';
import { defaultSettings } from '../../src/core/settings';
import { octetPrefix, octetPrefixesFor } from '../../src/families/sendmail/access';
import { sendmailAccess, sendmailMc } from '../../src/families/sendmail/formats';
import { parseMc } from '../../src/families/sendmail/mc';
import { relayGrants, relayVerdict } from '../../src/families/sendmail/relay';
import type { SendmailConfig } from '../../src/families/sendmail/model';
import { AddressSet, parseRange } from '../../src/net';
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

  it('gives each relay grant exactly the addresses no earlier item decided (prefix tree = set subtraction)', async () => {
    // The reference: class R items in order, each minus the union of those before it; then every RELAY access
    // key minus the same key written earlier (`Connect:` first), minus every longer key, minus all of class R.
    const reference = (config: SendmailConfig): string[] => {
      const out: string[] = [];
      let decided = AddressSet.empty;
      for (const item of config.classR) {
        if (!item.parsed) continue;
        const range = AddressSet.of(item.parsed.range);
        out.push(range.subtract(decided).toCidrs().join(' '));
        decided = decided.union(range);
      }
      const entries = config.activeAccess.filter((entry) => entry.parsed && (entry.tag === '' || entry.tag.toLowerCase() === 'connect'));
      for (const entry of entries) {
        if (entry.value !== 'RELAY') continue;
        const same = entries.filter((other) => other.key === entry.key).sort((a, b) => (a.tag ? 0 : 1) - (b.tag ? 0 : 1));
        const hidden = [...same.slice(0, same.indexOf(entry)), ...entries.filter((other) => other.key.startsWith(`${entry.key}.`))];
        const contribution = AddressSet.of(entry.parsed!.range)
          .subtract(AddressSet.from(hidden.map((other) => other.parsed!.range)))
          .subtract(decided);
        out.push(contribution.toCidrs().join(' '));
      }
      return out;
    };
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const key = () => Array.from({ length: 1 + next(4) }, () => String([1, 2, 3][next(3)])).join('.');
    for (let round = 0; round < 200; round++) {
      const access = Array.from({ length: next(12) }, () => `${['Connect:', '', 'From:'][next(3)]}${key()}\t${['RELAY', 'REJECT', 'OK'][next(3)]}`);
      const relayDomains = Array.from({ length: next(6) }, () => (next(5) ? key() : 'example.org'));
      const files = memoryFiles(new Map([['/etc/mail/relay-domains', `${relayDomains.join('\n')}\n`]]));
      const loaded = await sendmailAccess.load(new SourceText('/etc/mail/access', `${access.join('\n')}\n`), { files, settings: defaultSettings() });
      const got = relayGrants(loaded.model).map((grant) => grant.contribution.toCidrs().join(' '));
      assert.deepEqual(got, reference(loaded.model), `access:\n${access.join('\n')}\nrelay-domains:\n${relayDomains.join('\n')}`);
    }
  });

  it('never crashes on damaged input', async () => {
    for (const text of ['FEATURE(`x', "define(`a', `b", ')))(((', '`'.repeat(5000), 'dnl', 'LOCAL_CONFIG\nCR\nFR\n'])
      await sendmailMc.load(new SourceText('/etc/mail/sendmail.mc', text), { files: memoryFiles(new Map()), settings: defaultSettings() });
  });
});
