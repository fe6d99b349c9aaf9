import { formatBlocks } from '../../../domain/stories/blocks.ts';
import { LIMITS, type FieldErrors, type StoryForm } from '../../../domain/stories/story-form.ts';
import { localizedName } from '../../../domain/languages/localize.ts';
import type { Person, Region, Theme } from '../../../domain/catalog/vocabulary.ts';
import type { StoryRecord } from '../../../domain/stories/story.ts';
import type { MarkupProblem } from '../../../domain/stories/markup.ts';
import { csrfField, field, formMessage, submitButton, textArea, textInput } from '../components/form.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export interface StoryEditorData {
  story: StoryRecord | null;
  form: StoryForm;
  textLanguage: string;
  errors: FieldErrors;
  /** Places in the body that cannot be shown (the body's error is then 'form-error-markup'). */
  markup: MarkupProblem[];
  conflict: StoryRecord | null;
  saved: boolean;
  regions: Region[];
  themes: Theme[];
  people: Person[];
}

/** The form's values for a story as stored: its details and its source text. */
export function storyToForm(story: StoryRecord): StoryForm {
  const text = story.texts[story.sourceLanguage];
  return {
    slug: story.slug,
    region: String(story.regionId),
    sourceLanguage: story.sourceLanguage,
    featured: story.featured ? 'on' : '',
    themes: story.themeIds.map(String),
    storytellers: story.storytellerIds.map(String),
    title: text?.title ?? '',
    summary: text?.summary ?? '',
    body: text ? formatBlocks(text.blocks) : '',
    revision: String(story.revision),
  };
}

export function storyEditorPage(context: PageContext, data: StoryEditorData) {
  const { t } = context;
  const { form, errors, story } = data;
  const textLanguage = context.languages.find((l) => l.code === data.textLanguage) ?? context.language;
  const textAttrs = languageAttributes(textLanguage);
  const action = story ? href(context, `/edit/stories/${story.slug}`) : href(context, `/edit/stories/new`);
  const title = story
    ? t('editor-title-edit', story.texts[story.sourceLanguage]?.title ?? story.slug)
    : t('editor-title-new');
  const checkboxes = (name: string, options: Array<{ id: number; label: string }>, selected: string[]) =>
    options.map(
      (option) => html`
    <span class="cdx-checkbox cdx-checkbox--inline"><span class="cdx-checkbox__wrapper">
      <input id=${`${name}-${option.id}`} class="cdx-checkbox__input" type="checkbox" name=${name} value=${option.id} checked=${selected.includes(String(option.id))} />
      <span class="cdx-checkbox__icon"></span>
      <span class="cdx-checkbox__label cdx-label"><label for=${`${name}-${option.id}`} class="cdx-label__label"><span class="cdx-label__label__text">${option.label}</span></label></span>
    </span></span>`,
    );
  return layout(
    context,
    { title, alternates: false },
    html`
    <h1>${title}</h1>
    ${data.saved ? formMessage(context, 'success', 'editor-saved') : null}
    ${Object.keys(errors).length ? formMessage(context, 'error', 'form-has-errors') : null}
    ${data.conflict ? conflictView(context, data.conflict, data.conflict.sourceLanguage) : null}
    ${
      story
        ? html`<nav class="editor-languages" aria-label=${t('editor-translations')}>
      <span>${t('editor-translations')}</span>
      <ul class="inline-list">${context.languages
        .filter((l) => l.code !== story.sourceLanguage)
        .map(
          (l) =>
            html`<li><a href=${href(context, `/translate/${story.slug}/${l.code}`)} ...${languageAttributes(l)}
        class=${story.languages.includes(l.code) ? 'has-text' : 'no-text'}>${l.autonym}</a></li>`,
        )}</ul>
    </nav>`
        : null
    }
    <form class="story-editor" method="post" action=${action}>
      ${csrfField(context)}
      <input type="hidden" name="revision" value=${form.revision} />
      <fieldset class="story-editor__text">
        <legend>${t('editor-text-in', textLanguage.autonym)}</legend>
        ${textInput(context, { id: 'title', name: 'title', label: t('field-title'), value: form.title, error: errors.title, maxLength: LIMITS.title, required: true, ...textAttrs })}
        ${textArea(context, { id: 'summary', name: 'summary', label: t('field-summary'), value: form.summary, error: errors.summary, maxLength: LIMITS.summary, rows: 2, ...textAttrs })}
        ${textArea(context, { id: 'body', name: 'body', label: t('field-body'), value: form.body, error: errors.body, maxLength: LIMITS.body, help: `${t('field-body-help')} ${t('field-body-help-markup')}`, rows: 14, ...textAttrs })}
        ${
          data.markup.length
            ? html`<ul class="markup-problems" aria-label=${t('form-error-markup')}>
          ${data.markup.map((problem) => html`<li>${t('markup-problem-at', context.formatNumber(problem.line), context.formatNumber(problem.column))} ${t(`markup-problem-${problem.code.replaceAll('_', '-')}`)}</li>`)}
        </ul>`
            : null
        }
        ${
          story
            ? html`<span class="cdx-checkbox"><span class="cdx-checkbox__wrapper">
          <input id="typoFix" class="cdx-checkbox__input" type="checkbox" name="typoFix" aria-describedby="typoFix-help" checked=${form.typoFix === 'on'} />
          <span class="cdx-checkbox__icon"></span>
          <span class="cdx-checkbox__label cdx-label"><label for="typoFix" class="cdx-label__label"><span class="cdx-label__label__text">${t('field-typo-fix')}</span></label>
          <span class="cdx-label__description" id="typoFix-help">${t('field-typo-fix-help')}</span></span>
        </span></span>`
            : null
        }
      </fieldset>
      <fieldset>
        <legend>${t('editor-details')}</legend>
        ${textInput(context, { id: 'slug', name: 'slug', label: t('field-slug'), value: form.slug, error: errors.slug, help: t('field-slug-help'), maxLength: LIMITS.slug, required: true, dir: 'ltr' })}
        ${field(
          context,
          { id: 'region', label: t('field-region'), error: errors.region },
          (describedBy) => html`
          <select id="region" name="region" class="cdx-select" aria-describedby=${describedBy}>
            <option value="">${t('field-choose')}</option>
            ${data.regions.map((r) => html`<option value=${r.id} selected=${String(r.id) === form.region}>${localizedName(r.names, context.chain).text}</option>`)}
          </select>`,
        )}
        ${field(
          context,
          { id: 'sourceLanguage', label: t('field-source-language'), error: errors.sourceLanguage },
          (describedBy) => html`
          <select id="sourceLanguage" name="sourceLanguage" class="cdx-select" aria-describedby=${describedBy}>
            ${context.languages.map((l) => html`<option value=${l.code} selected=${l.code === form.sourceLanguage} ...${languageAttributes(l)}>${l.autonym}</option>`)}
          </select>`,
        )}
        <div class="cdx-field" role="group" aria-labelledby="themes-label">
          <div class="cdx-label" id="themes-label"><span class="cdx-label__label__text">${t('field-themes')}</span></div>
          ${checkboxes(
            'themes',
            data.themes.map((th) => ({ id: th.id, label: localizedName(th.names, context.chain).text })),
            form.themes,
          )}
        </div>
        <div class="cdx-field" role="group" aria-labelledby="storytellers-label">
          <div class="cdx-label" id="storytellers-label"><span class="cdx-label__label__text">${t('field-storytellers')}</span></div>
          ${checkboxes(
            'storytellers',
            data.people.map((p) => ({ id: p.id, label: p.displayName })),
            form.storytellers,
          )}
        </div>
        <span class="cdx-checkbox"><span class="cdx-checkbox__wrapper">
          <input id="featured" class="cdx-checkbox__input" type="checkbox" name="featured" checked=${form.featured === 'on'} />
          <span class="cdx-checkbox__icon"></span>
          <span class="cdx-checkbox__label cdx-label"><label for="featured" class="cdx-label__label"><span class="cdx-label__label__text">${t('field-featured')}</span></label></span>
        </span></span>
      </fieldset>
      ${submitButton(t('editor-save'))}
    </form>
    ${
      story
        ? html`<section class="editor-status" aria-labelledby="status-heading">
      <h2 id="status-heading">${t('editor-status-heading')}</h2>
      <p>${t(story.status === 'published' ? 'story-status-published' : 'story-status-draft')}</p>
      ${
        context.can('story.publish')
          ? html`<form method="post" action=${href(context, `/edit/stories/${story.slug}/status`)}>
        ${csrfField(context)}
        <input type="hidden" name="revision" value=${story.revision} />
        ${
          story.status === 'published'
            ? html`<button class="cdx-button cdx-button--action-destructive" type="submit" name="status" value="draft">${t('editor-unpublish')}</button>`
            : html`<button class="cdx-button cdx-button--action-progressive cdx-button--weight-primary" type="submit" name="status" value="published">${t('editor-publish')}</button>`
        }
      </form>`
          : null
      }
      <p><a href=${href(context, `/edit/stories/${story.slug}/history`)}>${t('editor-history-link')}</a>
        · <a href=${href(context, `/edit/stories/${story.slug}/video`)}>${t('video-manage')}</a>
        ${story.status === 'published' ? html` · <a href=${href(context, `/stories/${story.slug}`)}>${t('editor-view-link')}</a>` : null}</p>
    </section>`
        : null
    }`,
  );
}

function conflictView(context: PageContext, current: StoryRecord, language: string) {
  const { t } = context;
  const text = current.texts[language];
  return html`<section class="conflict" aria-labelledby="conflict-heading">
    ${formMessage(context, 'warning', 'editor-conflict', context.formatNumber(current.revision))}
    <h2 id="conflict-heading">${t('editor-conflict-theirs')}</h2>
    <dl class="conflict__theirs">
      <dt>${t('field-title')}</dt><dd>${text?.title ?? ''}</dd>
      <dt>${t('field-summary')}</dt><dd>${text?.summary ?? ''}</dd>
      <dt>${t('field-body')}</dt><dd><pre>${text ? formatBlocks(text.blocks) : ''}</pre></dd>
    </dl>
    <p>${t('editor-conflict-help')}</p>
  </section>`;
}
