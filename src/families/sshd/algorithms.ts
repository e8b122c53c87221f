// Algorithm lists of Debian 12's OpenSSH 9.2p1 (`ssh -Q cipher|mac|kex|key-sig|sig`, and the defaults `sshd -T`
// prints for an empty configuration), and kex_assemble_names(): how `+`, `-`, `^` and explicit lists combine.
import { matchPatternList } from './patterns';

const list = (text: string) => text.trim().split(/\s+/);

export interface AlgorithmFamily {
  /** Every name this build supports, in its own order (wildcards expand in this order). */
  all: readonly string[];
  defaults: readonly string[];
  /** Whether wildcards may appear in a list (key types) or every name must be exact. */
  wildcards: boolean;
}

const CIPHERS: AlgorithmFamily = {
  all: list(`3des-cbc aes128-cbc aes192-cbc aes256-cbc aes128-ctr aes192-ctr aes256-ctr aes128-gcm@openssh.com aes256-gcm@openssh.com
    chacha20-poly1305@openssh.com`),
  defaults: list('chacha20-poly1305@openssh.com aes128-ctr aes192-ctr aes256-ctr aes128-gcm@openssh.com aes256-gcm@openssh.com'),
  wildcards: false,
};

const MACS: AlgorithmFamily = {
  all: list(`hmac-sha1 hmac-sha1-96 hmac-sha2-256 hmac-sha2-512 hmac-md5 hmac-md5-96 umac-64@openssh.com umac-128@openssh.com
    hmac-sha1-etm@openssh.com hmac-sha1-96-etm@openssh.com hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com
    hmac-md5-etm@openssh.com hmac-md5-96-etm@openssh.com umac-64-etm@openssh.com umac-128-etm@openssh.com`),
  defaults: list(`umac-64-etm@openssh.com umac-128-etm@openssh.com hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com
    hmac-sha1-etm@openssh.com umac-64@openssh.com umac-128@openssh.com hmac-sha2-256 hmac-sha2-512 hmac-sha1`),
  wildcards: false,
};

const KEX: AlgorithmFamily = {
  all: list(`diffie-hellman-group1-sha1 diffie-hellman-group14-sha1 diffie-hellman-group14-sha256 diffie-hellman-group16-sha512
    diffie-hellman-group18-sha512 diffie-hellman-group-exchange-sha1 diffie-hellman-group-exchange-sha256 ecdh-sha2-nistp256
    ecdh-sha2-nistp384 ecdh-sha2-nistp521 curve25519-sha256 curve25519-sha256@libssh.org sntrup761x25519-sha512
    sntrup761x25519-sha512@openssh.com`),
  defaults: list(`sntrup761x25519-sha512 sntrup761x25519-sha512@openssh.com curve25519-sha256 curve25519-sha256@libssh.org
    ecdh-sha2-nistp256 ecdh-sha2-nistp384 ecdh-sha2-nistp521 diffie-hellman-group-exchange-sha256 diffie-hellman-group16-sha512
    diffie-hellman-group18-sha512 diffie-hellman-group14-sha256`),
  wildcards: false,
};

const ALL_KEYS = list(`ssh-ed25519 ssh-ed25519-cert-v01@openssh.com sk-ssh-ed25519@openssh.com sk-ssh-ed25519-cert-v01@openssh.com
  ecdsa-sha2-nistp256 ecdsa-sha2-nistp256-cert-v01@openssh.com ecdsa-sha2-nistp384 ecdsa-sha2-nistp384-cert-v01@openssh.com
  ecdsa-sha2-nistp521 ecdsa-sha2-nistp521-cert-v01@openssh.com sk-ecdsa-sha2-nistp256@openssh.com
  sk-ecdsa-sha2-nistp256-cert-v01@openssh.com webauthn-sk-ecdsa-sha2-nistp256@openssh.com ssh-dss ssh-dss-cert-v01@openssh.com
  ssh-rsa ssh-rsa-cert-v01@openssh.com rsa-sha2-256 rsa-sha2-256-cert-v01@openssh.com rsa-sha2-512 rsa-sha2-512-cert-v01@openssh.com`);

/** KEX_DEFAULT_PK_ALG: host key, public key and host-based defaults. */
const DEFAULT_KEYS = list(`ssh-ed25519-cert-v01@openssh.com ecdsa-sha2-nistp256-cert-v01@openssh.com ecdsa-sha2-nistp384-cert-v01@openssh.com
  ecdsa-sha2-nistp521-cert-v01@openssh.com sk-ssh-ed25519-cert-v01@openssh.com sk-ecdsa-sha2-nistp256-cert-v01@openssh.com
  rsa-sha2-512-cert-v01@openssh.com rsa-sha2-256-cert-v01@openssh.com ssh-ed25519 ecdsa-sha2-nistp256 ecdsa-sha2-nistp384
  ecdsa-sha2-nistp521 sk-ssh-ed25519@openssh.com sk-ecdsa-sha2-nistp256@openssh.com rsa-sha2-512 rsa-sha2-256`);

const KEYS: AlgorithmFamily = { all: ALL_KEYS, defaults: DEFAULT_KEYS, wildcards: true };

const SIGNATURES: AlgorithmFamily = {
  all: list(`ssh-ed25519 sk-ssh-ed25519@openssh.com ecdsa-sha2-nistp256 ecdsa-sha2-nistp384 ecdsa-sha2-nistp521
    sk-ecdsa-sha2-nistp256@openssh.com webauthn-sk-ecdsa-sha2-nistp256@openssh.com ssh-dss ssh-rsa rsa-sha2-256 rsa-sha2-512`),
  defaults: list(`ssh-ed25519 ecdsa-sha2-nistp256 ecdsa-sha2-nistp384 ecdsa-sha2-nistp521 sk-ssh-ed25519@openssh.com
    sk-ecdsa-sha2-nistp256@openssh.com rsa-sha2-512 rsa-sha2-256`),
  // CASignatureAlgorithms is validated like the key lists (sshkey_names_valid2 over every key type).
  wildcards: true,
};

/** The option (sshd -T name) each family's list belongs to. */
export const ALGORITHM_OPTIONS: Readonly<Record<string, AlgorithmFamily>> = {
  ciphers: CIPHERS,
  macs: MACS,
  kexalgorithms: KEX,
  hostkeyalgorithms: KEYS,
  pubkeyacceptedalgorithms: KEYS,
  hostbasedacceptedalgorithms: KEYS,
  casignaturealgorithms: SIGNATURES,
};

/** Whether sshd accepts the list as written (ciphers_valid, mac_valid, kex_names_valid, sshkey_names_valid2). */
export function algorithmsValid(option: string, written: string): boolean {
  const family = ALGORITHM_OPTIONS[option];
  if (!family) return true;
  if (written.startsWith('-')) return true;
  const names = written.startsWith('+') || written.startsWith('^') ? written.slice(1) : written;
  if (names === '') return false;
  // The C loops stop at the first empty element.
  for (const name of names.split(',')) {
    if (name === '') break;
    if (family.all.includes(name) || (option === 'casignaturealgorithms' && ALL_KEYS.includes(name))) continue;
    if (family.wildcards && ALL_KEYS.some((known) => matchPatternList(known, name) !== 0)) continue;
    return false;
  }
  return true;
}

/** kex_names_cat(): `a` followed by the names of `b` it does not hold yet. */
function concat(a: readonly string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const name of b) {
    if (name === '') break;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** kex_assemble_names(): the list sshd uses for `written` (undefined: not set). Undefined when sshd would fail. */
export function assembleAlgorithms(option: string, written: string | undefined): string[] | undefined {
  const family = ALGORITHM_OPTIONS[option];
  if (!family) return undefined;
  if (written === undefined || written === '') return [...family.defaults];
  let names: string[];
  if (written.startsWith('-')) {
    const pattern = written.slice(1);
    return family.defaults.filter((name) => matchPatternList(name, pattern) !== 1);
  }
  if (written.startsWith('+')) names = concat(family.defaults, written.slice(1).split(','));
  else if (written.startsWith('^')) names = concat(written.slice(1).split(','), family.defaults);
  else names = written.split(',');
  let out: string[] = [];
  for (const pattern of names) {
    if (pattern.startsWith('!')) return undefined;
    out = concat(
      out,
      family.all.filter((name) => matchPatternList(name, pattern) === 1),
    );
  }
  return out.length ? out : undefined;
}

/** Algorithms kept only for old peers: SHA-1 and MD5 MACs and signatures, CBC ciphers, 1024/2048-bit SHA-1 DH. */
export const LEGACY_ALGORITHMS: ReadonlySet<string> = new Set([
  '3des-cbc',
  'aes128-cbc',
  'aes192-cbc',
  'aes256-cbc',
  'hmac-md5',
  'hmac-md5-96',
  'hmac-md5-etm@openssh.com',
  'hmac-md5-96-etm@openssh.com',
  'hmac-sha1-96',
  'hmac-sha1-96-etm@openssh.com',
  'diffie-hellman-group1-sha1',
  'diffie-hellman-group14-sha1',
  'diffie-hellman-group-exchange-sha1',
  'ssh-rsa',
  'ssh-rsa-cert-v01@openssh.com',
  'ssh-dss',
  'ssh-dss-cert-v01@openssh.com',
]);
