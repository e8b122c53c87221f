import type { Check } from '../../../core/check';
import { bindAddressAllInterfaces } from './bind-address-all-interfaces';
import { skipGrantTables } from './skip-grant-tables';

export const mysqlChecks: Check<unknown>[] = [bindAddressAllInterfaces, skipGrantTables];
