/** @cornerstonejs/codec-openjpeg ships no types for its WebAssembly entry (an Emscripten factory). */
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (options: object) => Promise<unknown>;
  export default factory;
}
