// The names sshd's files go by: what detection needs, apart from the loader (which is loaded with the first
// sshd_config, not at start-up: issue 16).

/** sshd_config, and copies named after it (debian-sshd_config, sshd_config in a repository). */
export function isMainConfigName(baseName: string): boolean {
  return /(^|[-_.])sshd_config$/.test(baseName);
}

export function isDropInPath(path: string): boolean {
  return /(^|\/)sshd_config\.d\/[^/]+\.conf$/.test(path);
}
