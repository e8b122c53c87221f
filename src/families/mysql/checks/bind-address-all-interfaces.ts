import { mysqlModel } from '../formats';
import { defineCheck, text } from '../../../core/check';
import { type MysqlConfig, effectiveServerOption } from '../formats';
import { optionEnabled } from '../option-file';
import { reachOf } from '../../shared/listen-address';

// mysqld(8): bind_address takes one address (a comma-separated list from MySQL 8.0.13); `*`, `::` and
// 0.0.0.0 mean every interface. mysqlx_bind_address is the X Protocol listener (port 33060) of MySQL 8.
const OPTIONS: ReadonlyArray<[name: string, label: string]> = [
  ['bind_address', 'bind-address'],
  ['mysqlx_bind_address', 'mysqlx-bind-address'],
];

export const bindAddressAllInterfaces = defineCheck<MysqlConfig>({
  rule: 'mysql/bind-address-all-interfaces',
  model: mysqlModel,
  run(config, report) {
    const skipNetworking = effectiveServerOption(config, 'skip_networking');
    if (skipNetworking && optionEnabled(skipNetworking)) return;
    for (const [name, label] of OPTIONS) {
      const option = effectiveServerOption(config, name);
      const value = option?.value;
      if (!value) continue;
      const addresses = value.text
        .split(',')
        .map((text) => text.trim())
        .filter(Boolean);
      const reaches = addresses.map(reachOf);
      const open = reaches.findIndex((reach) => reach === 'all-interfaces' || reach === 'public-address');
      if (open < 0) continue;
      report(
        value.span,
        {
          option: label,
          value: value.text,
          scope: reaches[open] === 'all-interfaces' ? text('mysql.every-interface') : text('mysql.public-address', { address: addresses[open] ?? '' }),
        },
        { suggestions: [{ title: 'loopback', data: { option: label }, edits: [{ span: value.span, newText: '127.0.0.1' }] }] },
      );
    }
  },
});
