// Address entries as Apache writes them (Require ip, Allow from, RemoteIPTrustedProxy), read as CIDR ranges.

/** Apache also accepts `10.1` (a partial address) and `10.0.0.0/255.0.0.0` (a netmask): both become CIDR. */
export function apacheAddressToCidr(entry: string): string {
  const netmask = /^(\d+\.\d+\.\d+\.\d+)\/(\d+\.\d+\.\d+\.\d+)$/.exec(entry);
  if (netmask) {
    const bits = netmask[2]!
      .split('.')
      .map(Number)
      .reduce((count, octet) => count + (octet.toString(2).match(/1/g)?.length ?? 0), 0);
    return `${netmask[1]}/${bits}`;
  }
  if (/^\d+(\.\d+){0,2}\.?$/.test(entry)) {
    const octets = entry.replace(/\.$/, '').split('.');
    return `${[...octets, '0', '0', '0'].slice(0, 4).join('.')}/${octets.length * 8}`;
  }
  return entry;
}
