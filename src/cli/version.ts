// Only the version is bundled, not the whole package.json (its editor contributions are most of it): start-up.
import { version } from '../../package.json';

export const VERSION: string = version;
