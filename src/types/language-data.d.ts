declare module '@wikimedia/language-data' {
  const languageData: {
    getAutonym(code: string): string | false;
    getDir(code: string): 'ltr' | 'rtl';
    getScript(code: string): string;
    isRtl(code: string): boolean;
    isKnown(code: string): boolean;
  };
  export default languageData;
}
