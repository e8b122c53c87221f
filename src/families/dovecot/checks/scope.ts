// How a finding names the filter section its setting was written in ("in the remote 203.0.113.0/24 section").
import { type TextRef, text } from '../../../core/check';
import type { Filter } from '../model';

/** The filter as Dovecot syntax (language-neutral), wrapped in the catalogue's phrase; '' for the global scope. */
export function scopeLabel(filter: Filter): TextRef | string {
  const parts = [
    filter.localName !== undefined ? `local_name ${filter.localName}` : '',
    filter.local ? `local ${filter.local.text}` : '',
    filter.remote ? `remote ${filter.remote.text}` : '',
    filter.protocol !== undefined ? `protocol ${filter.protocol}` : '',
  ].filter(Boolean);
  return parts.length ? text('dovecot.in-filter', { filter: parts.join(' / ') }) : '';
}
