// Writes services.json and zones.json from what Debian's firewalld package ships (firewalld 1.3.3-1~deb12u2:
// /usr/lib/firewalld/services and /usr/lib/firewalld/zones). Only facts are kept (ports, protocols, targets),
// not the descriptions. Run: npx tsx src/families/firewalld/data/generate.ts [/usr/lib/firewalld]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseXml } from '../xml';
import { type ServiceDefinition, readService } from '../services';
import { type ShippedZone, readZone, zoneFacts } from '../zone';

export function readServiceFolder(folder: string): Record<string, ServiceDefinition> {
  const out: Record<string, ServiceDefinition> = {};
  for (const name of xmlFiles(folder)) {
    const { root } = parseXml(name, readFileSync(path.join(folder, name), 'utf8'));
    if (root?.name === 'service') out[name.slice(0, -'.xml'.length)] = readService(root);
  }
  return out;
}

export function readZoneFolder(folder: string): Record<string, ShippedZone> {
  const out: Record<string, ShippedZone> = {};
  for (const name of xmlFiles(folder)) {
    const { root } = parseXml(name, readFileSync(path.join(folder, name), 'utf8'));
    if (root?.name === 'zone') out[name.slice(0, -'.xml'.length)] = zoneFacts(readZone(name.slice(0, -4), name, root, []));
  }
  return out;
}

function xmlFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((entry) => entry.endsWith('.xml'))
    .sort();
}

if (require.main === module) {
  const root = process.argv[2] ?? '/usr/lib/firewalld';
  writeFileSync(path.join(__dirname, 'services.json'), `${JSON.stringify(readServiceFolder(path.join(root, 'services')))}\n`);
  writeFileSync(path.join(__dirname, 'zones.json'), `${JSON.stringify(readZoneFolder(path.join(root, 'zones')))}\n`);
  console.log(`wrote services.json and zones.json in ${__dirname}`);
}
