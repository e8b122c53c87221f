// Every supported format and every check, in one list each. A new family adds one line to each list.
import type { Check } from './check';
import type { FormatHandler } from './format';
import { postfixFormats } from '../formats/postfix';
import { postfixChecks } from '../checks/postfix';

export const formatHandlers: FormatHandler[] = [...postfixFormats];

export const checks: Check[] = [...postfixChecks];
