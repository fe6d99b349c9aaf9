import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { splitAtName } from '../../../domain/languages/name-slot.ts';

export { NAME } from '../../../domain/languages/name-slot.ts';

/** The label after a bot account's name, so readers tell a bot's work from a person's. */
export function botLabel(context: PageContext): VNode {
  return html`<span class="bot-label">${context.t('bot-label')}</span>`;
}

/** A name as credits show it: isolated from the text around it, with the bot label for a bot account. */
export function personName(context: PageContext, name: string, bot: boolean): VNode {
  return html`<bdi>${name}</bdi>${bot ? html` ${botLabel(context)}` : null}`;
}

/**
 * Who made a change, as a history shows it: the name (or "the system" when the account is gone), the
 * bot label for a bot account, and "(via token NAME)" when it was made through a personal API token.
 */
export function changeAuthor(
  context: PageContext,
  author: { name: string | null; bot: boolean; viaToken: string | null },
): VNode {
  return html`${author.name === null ? context.t('history-system') : personName(context, author.name, author.bot)}${
    author.viaToken === null
      ? null
      : html` <span class="history-via-token">${context.t('history-via-token', author.viaToken)}</span>`
  }`;
}

/**
 * A message that names someone: its parameters as given, with NAME where the name goes; the name is
 * shown as personName shows it (isolated, with the bot label for a bot account) at its place in the sentence.
 */
export function messageWithName(
  context: PageContext,
  key: string,
  person: { name: string; bot: boolean },
  ...params: Array<string | number>
): VNode {
  const { before, after } = splitAtName(context.t(key, ...params));
  return html`${before}${personName(context, person.name, person.bot)}${after}`;
}
