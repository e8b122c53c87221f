// Writes services.json (service name -> port) from Debian's netbase /etc/services, the file nft reads through
// getaddrinfo when a rule names a port (`tcp dport ssh`). Run: npx tsx src/families/nftables/data/generate-services.ts
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export function parseServices(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const fields = line.replace(/#.*/, '').trim().split(/\s+/);
    const port = /^(\d+)\/\w+$/.exec(fields[1] ?? '');
    if (!fields[0] || !port) continue;
    for (const name of [fields[0], ...fields.slice(2)]) if (!(name in out)) out[name] = Number(port[1]);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

if (require.main === module) {
  const target = path.join(__dirname, 'services.json');
  writeFileSync(target, `${JSON.stringify(parseServices(readFileSync('/etc/services', 'utf8')), null, 0).replace(/,/g, ',\n')}\n`);
  console.log(`wrote ${target}`);
}
