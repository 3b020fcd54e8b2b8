/** Addresses of the prerendered first-view tiles (scripts/first-views-plugin.ts). */
declare module 'virtual:lamina-first-views' {
  const addresses: readonly string[];
  export default addresses;
}
