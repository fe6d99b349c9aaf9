// The built browser islands (scripts/build-web.ts), served under /assets/.
export const builtWebDir = new URL('../../dist/web/', import.meta.url).pathname;
