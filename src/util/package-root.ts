import { fileURLToPath } from 'node:url';

/**
 * The package's root directory (where package.json, sql/ and src/serve/assets/ are), found from
 * this module: src/util/ under test, dist/bin/ in the bundled CLI; both sit two levels below it.
 */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
