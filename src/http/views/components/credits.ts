import { bcp47 } from '../../../domain/languages/languages.ts';
import type { Credit, StoryCredits } from '../../../services/contributions.ts';
import type { PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { personName } from './actor.ts';

/**
 * "Translated and subtitled by": the people whose published work the story shows (translators,
 * reviewers, subtitlers), each with the languages they worked in; nothing when there is nobody yet.
 */
export function credits(context: PageContext, storyCredits: StoryCredits): VNode | null {
  const { t } = context;
  const groups = [
    { label: t('credits-translators'), people: storyCredits.translators },
    { label: t('credits-reviewers'), people: storyCredits.reviewers },
    { label: t('credits-subtitlers'), people: storyCredits.subtitlers },
  ].filter((group) => group.people.length);
  if (!groups.length) return null;
  const names = new Intl.ListFormat(bcp47(context.language.code), { type: 'conjunction' });
  const autonym = (code: string) => context.languages.find((language) => language.code === code)?.autonym ?? code;
  const person = (credit: Credit) =>
    html`<li>${personName(context, credit.username, credit.bot)} ${t('credits-languages', names.format(credit.languages.map(autonym)))}</li>`;
  return html`<section class="story__credits" aria-labelledby="credits-heading">
    <h2 id="credits-heading">${t('credits-heading')}</h2>
    <dl>
      ${groups.map(
        (group) => html`<dt>${group.label}</dt>
        <dd><ul class="inline-list">${group.people.map(person)}</ul></dd>`,
      )}
    </dl>
  </section>`;
}
