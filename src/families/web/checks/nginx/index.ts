import type { Check } from '../../../../core/check';
import { adminRestrictionBypassedByRegexLocation } from './admin-restriction-bypassed-by-regex-location';
import { aliasTraversal } from './alias-traversal';
import { allowWithoutDeny } from './allow-without-deny';

/** Rules only nginx has; the rules nginx and Apache share are in ../web (their Apache halves in ../apache). */
export const nginxChecks: Check<unknown>[] = [adminRestrictionBypassedByRegexLocation, allowWithoutDeny, aliasTraversal];
