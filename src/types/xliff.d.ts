// The `xliff` package (a third-party XLIFF reader the tests check our files with) ships no types.
declare module 'xliff' {
  export function xliff2js(text: string): Promise<{
    sourceLanguage: string;
    targetLanguage: string;
    resources: Record<string, Record<string, { source: unknown; target?: unknown }>>;
  }>;
}
