// Every keyboard shortcut of the translation editor in one table: the key handler reads it and the
// help on the page lists it, so what is listed is what works. Keys are matched by physical position
// (event.code), so they work the same with Arabic, Cyrillic or Japanese layouts, and all of them
// work while typing a translation. None is a browser's or a screen reader's own: Ctrl+digit and
// Alt+digit switch tabs, Ctrl+Shift+C opens developer tools, so digits go with Alt+Shift (the
// modifiers Wikimedia sites use for their access keys) or Ctrl+Shift.

export type Command =
  | 'save'
  | 'save-next'
  | 'next'
  | 'previous'
  | 'copy-source'
  | 'placeholder'
  | 'memory'
  | 'machine'
  | 'toggle-review'
  | 'next-filter';

export interface Shortcut {
  command: Command;
  /** KeyboardEvent.code; for the numbered commands the digit is the number. */
  code: string;
  alt?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  label: string;
  /** Digits 1–9 (the command's number is the digit). */
  numbered?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'save', code: 'KeyS', ctrl: true, label: 'Ctrl+S' },
  { command: 'save-next', code: 'Enter', ctrl: true, label: 'Ctrl+Enter' },
  { command: 'next', code: 'ArrowDown', alt: true, label: 'Alt+↓' },
  { command: 'previous', code: 'ArrowUp', alt: true, label: 'Alt+↑' },
  { command: 'copy-source', code: 'KeyC', alt: true, shift: true, label: 'Alt+Shift+C' },
  { command: 'placeholder', code: 'Digit', alt: true, shift: true, numbered: true, label: 'Alt+Shift+1…9' },
  { command: 'memory', code: 'Digit', ctrl: true, shift: true, numbered: true, label: 'Ctrl+Shift+1…5' },
  { command: 'machine', code: 'KeyM', alt: true, shift: true, label: 'Alt+Shift+M' },
  { command: 'toggle-review', code: 'KeyR', alt: true, shift: true, label: 'Alt+Shift+R' },
  { command: 'next-filter', code: 'KeyF', alt: true, shift: true, label: 'Alt+Shift+F' },
];

/** The command a key press asks for, with its number for the numbered ones; null for any other key. */
export function commandFor(event: KeyboardEvent): { command: Command; number: number } | null {
  if (event.isComposing) return null;
  const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  for (const shortcut of SHORTCUTS) {
    if (shortcut.numbered ? !digit : shortcut.code !== event.code) continue;
    // Cmd stands for Ctrl on a Mac, except with digits: Cmd+Shift+3, 4 and 5 take screenshots there.
    const ctrl = shortcut.numbered ? event.ctrlKey && !event.metaKey : event.ctrlKey || event.metaKey;
    if (
      Boolean(shortcut.alt) === event.altKey &&
      Boolean(shortcut.ctrl) === ctrl &&
      Boolean(shortcut.shift) === event.shiftKey
    )
      return { command: shortcut.command, number: digit ? Number(digit[1]) : 0 };
  }
  return null;
}
