/** js-hcl-parser ships no types. `parse` returns JSON text, or an error message instead of throwing. */
declare module 'js-hcl-parser' {
  const hcl: {
    parse(text: string): string;
  };
  export default hcl;
}
