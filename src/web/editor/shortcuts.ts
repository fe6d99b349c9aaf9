// Every keyboard shortcut of the editor, in one table: the key handler reads it and the help list
// on the page is drawn from it, so what is listed is exactly what works. Keys are matched by
// physical position (event.code) so they work the same with Arabic, Cyrillic or Japanese layouts.
// Alt combinations work while typing in a cue; the single keys (Shift allowed where listed) only
// when no text field has focus: on the timeline, the video or the page.

export type Command =
  | 'save'
  | 'play'
  | 'replay'
  | 'set-start'
  | 'set-end'
  | 'start-earlier'
  | 'start-later'
  | 'end-earlier'
  | 'end-later'
  | 'split'
  | 'merge'
  | 'insert'
  | 'delete'
  | 'previous'
  | 'next'
  | 'loop'
  | 'start-frame-earlier'
  | 'start-frame-later'
  | 'end-frame-earlier'
  | 'end-frame-later'
  | 'frame-back'
  | 'frame-forward'
  | 'second-back'
  | 'second-forward'
  | 'zoom-in'
  | 'zoom-out'
  | 'timeline';

export interface Shortcut {
  command: Command;
  code: string;
  alt?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  single?: boolean;
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'save', code: 'KeyS', ctrl: true, label: 'Ctrl+S' },
  { command: 'play', code: 'KeyP', alt: true, label: 'Alt+P' },
  { command: 'play', code: 'Space', single: true, label: 'Space' },
  { command: 'replay', code: 'KeyR', alt: true, label: 'Alt+R' },
  { command: 'set-start', code: 'BracketLeft', alt: true, label: 'Alt+[' },
  { command: 'set-start', code: 'BracketLeft', single: true, label: '[' },
  { command: 'set-end', code: 'BracketRight', alt: true, label: 'Alt+]' },
  { command: 'set-end', code: 'BracketRight', single: true, label: ']' },
  { command: 'start-earlier', code: 'Comma', alt: true, label: 'Alt+,' },
  { command: 'start-later', code: 'Period', alt: true, label: 'Alt+.' },
  { command: 'end-earlier', code: 'Comma', alt: true, shift: true, label: 'Alt+Shift+,' },
  { command: 'end-later', code: 'Period', alt: true, shift: true, label: 'Alt+Shift+.' },
  { command: 'split', code: 'KeyS', alt: true, label: 'Alt+S' },
  { command: 'merge', code: 'KeyM', alt: true, label: 'Alt+M' },
  { command: 'insert', code: 'Enter', alt: true, label: 'Alt+Enter' },
  { command: 'delete', code: 'Backspace', alt: true, shift: true, label: 'Alt+Shift+Backspace' },
  { command: 'previous', code: 'ArrowUp', alt: true, label: 'Alt+↑' },
  { command: 'next', code: 'ArrowDown', alt: true, label: 'Alt+↓' },
  { command: 'loop', code: 'KeyL', alt: true, label: 'Alt+L' },
  { command: 'start-frame-earlier', code: 'Comma', alt: true, ctrl: true, label: 'Ctrl+Alt+,' },
  { command: 'start-frame-earlier', code: 'Comma', single: true, label: ',' },
  { command: 'start-frame-later', code: 'Period', alt: true, ctrl: true, label: 'Ctrl+Alt+.' },
  { command: 'start-frame-later', code: 'Period', single: true, label: '.' },
  { command: 'end-frame-earlier', code: 'Comma', alt: true, ctrl: true, shift: true, label: 'Ctrl+Alt+Shift+,' },
  { command: 'end-frame-earlier', code: 'Comma', single: true, shift: true, label: 'Shift+,' },
  { command: 'end-frame-later', code: 'Period', alt: true, ctrl: true, shift: true, label: 'Ctrl+Alt+Shift+.' },
  { command: 'end-frame-later', code: 'Period', single: true, shift: true, label: 'Shift+.' },
  { command: 'frame-back', code: 'ArrowLeft', single: true, label: '←' },
  { command: 'frame-forward', code: 'ArrowRight', single: true, label: '→' },
  { command: 'second-back', code: 'ArrowLeft', single: true, shift: true, label: 'Shift+←' },
  { command: 'second-forward', code: 'ArrowRight', single: true, shift: true, label: 'Shift+→' },
  { command: 'timeline', code: 'KeyT', alt: true, label: 'Alt+T' },
  { command: 'zoom-in', code: 'Equal', single: true, label: '+' },
  { command: 'zoom-out', code: 'Minus', single: true, label: '-' },
];

const isTextField = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'SUMMARY', 'A'].includes(target.tagName));

/** The command a key press asks for, or null. */
export function commandFor(event: KeyboardEvent): Command | null {
  if (event.isComposing) return null;
  const ctrl = event.ctrlKey || event.metaKey;
  for (const shortcut of SHORTCUTS) {
    if (shortcut.code !== event.code) continue;
    if (shortcut.single) {
      if (!event.altKey && !ctrl && event.shiftKey === Boolean(shortcut.shift) && !isTextField(event.target))
        return shortcut.command;
      continue;
    }
    if (
      Boolean(shortcut.alt) === event.altKey &&
      Boolean(shortcut.ctrl) === ctrl &&
      Boolean(shortcut.shift) === event.shiftKey
    )
      return shortcut.command;
  }
  return null;
}

/** The commands in the order the help lists them, each with its keys. */
export function shortcutList(): { command: Command; labels: string[] }[] {
  const byCommand = new Map<Command, string[]>();
  for (const shortcut of SHORTCUTS)
    byCommand.set(shortcut.command, [...(byCommand.get(shortcut.command) ?? []), shortcut.label]);
  return [...byCommand].map(([command, labels]) => ({ command, labels }));
}
