import type { LanguageRow } from '../../../domain/languages/languages.ts';
import type { GlossaryTerm } from '../../../domain/translation/glossary.ts';
import type { TermForm, FileImportResult } from '../../../services/translation-resources.ts';
import { csrfField, formMessage, submitButton, textArea, textInput } from '../components/form.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html, type VNode } from '../html.ts';
import { layout } from '../layout.ts';

export interface ResourcesPageData {
  from: LanguageRow;
  to: LanguageRow;
  languages: LanguageRow[];
  terms: GlossaryTerm[];
  /** Pairs in the translation memory for the language pair. */
  memory: number;
  canEdit: boolean;
  form: TermForm;
  errors: Partial<Record<keyof TermForm, string>>;
  imported?: { kind: 'glossary' | 'memory' } & (
    FileImportResult | { ok: false; problems: Array<{ code: string; line: number; column: number; message: string }> }
  );
}

/** The glossary and memory of a language pair: terms to read (and for reviewers, to keep), and TBX and TMX files. */
export function translationResourcesPage(context: PageContext, data: ResourcesPageData): VNode {
  const { t } = context;
  const { from, to } = data;
  const title = t('resources-title', from.autonym, to.autonym);
  const pair = `from=${from.code}&to=${to.code}`;
  const action = (path: string, upload = false) =>
    href(
      context,
      `/translation-resources${path}?${pair}${upload ? `&_csrf=${encodeURIComponent(context.csrfToken ?? '')}` : ''}`,
    );
  const select = (
    name: 'from' | 'to',
    chosen: LanguageRow,
  ) => html`<select id=${`pair-${name}`} class="cdx-select" name=${name}>
    ${data.languages.map((l) => html`<option value=${l.code} selected=${l.code === chosen.code} ...${languageAttributes(l)}>${l.autonym}</option>`)}
  </select>`;
  return layout(
    context,
    { title, alternates: false },
    html`
    <h1>${title}</h1>
    <form class="resources__pair" method="get" action=${href(context, '/translation-resources')}>
      <label for="pair-from">${t('resources-from')}</label> ${select('from', from)}
      <label for="pair-to">${t('resources-to')}</label> ${select('to', to)}
      <button class="cdx-button" type="submit">${t('subtitle-queue-show')}</button>
    </form>
    ${data.imported ? importOutcome(context, data.imported) : null}
    <section aria-labelledby="glossary-heading">
      <h2 id="glossary-heading">${t('resources-glossary-heading')}</h2>
      ${
        data.terms.length
          ? html`<table class="cdx-table__table resources__terms">
        <caption class="visually-hidden">${t('resources-glossary-heading')}</caption>
        <thead><tr><th scope="col">${t('resources-term')}</th><th scope="col">${t('resources-translation')}</th><th scope="col">${t('resources-part-of-speech')}</th><th scope="col">${t('resources-forbidden')}</th><th scope="col">${t('resources-note')}</th>${data.canEdit ? html`<th scope="col"><span class="visually-hidden">${t('resources-delete')}</span></th>` : null}</tr></thead>
        <tbody>${data.terms.map(
          (term) => html`<tr>
          <td ...${languageAttributes(from)}>${term.term}</td>
          <td ...${languageAttributes(to)}>${term.translation}</td>
          <td>${term.partOfSpeech}</td>
          <td ...${languageAttributes(to)}>${term.forbidden.join(', ')}</td>
          <td>${term.note}</td>
          ${
            data.canEdit
              ? html`<td><form method="post" action=${action('/terms/delete')}>${csrfField(context)}<input type="hidden" name="term" value=${term.term} />
            <button class="cdx-button cdx-button--action-destructive cdx-button--weight-quiet" type="submit" aria-label=${t('resources-delete-term', term.term)}>${t('resources-delete')}</button></form></td>`
              : null
          }
        </tr>`,
        )}</tbody>
      </table>`
          : html`<p>${t('resources-glossary-empty')}</p>`
      }
      <p><a href=${action('/glossary.tbx')}>${t('resources-download-tbx')}</a></p>
      ${
        data.canEdit
          ? html`<form class="resources__term-form" method="post" action=${action('/terms')}>
        <h3>${t('resources-add-term')}</h3>
        ${Object.keys(data.errors).length ? formMessage(context, 'error', 'form-has-errors') : null}
        ${csrfField(context)}
        ${textInput(context, { id: 'term', name: 'term', label: t('resources-term'), value: data.form.term, error: data.errors.term, required: true, ...languageAttributes(from) })}
        ${textInput(context, { id: 'translation', name: 'translation', label: t('resources-translation'), value: data.form.translation, error: data.errors.translation, required: true, ...languageAttributes(to) })}
        ${textInput(context, { id: 'partOfSpeech', name: 'partOfSpeech', label: t('resources-part-of-speech'), value: data.form.partOfSpeech, error: data.errors.partOfSpeech })}
        ${textInput(context, { id: 'forbidden', name: 'forbidden', label: t('resources-forbidden'), value: data.form.forbidden, error: data.errors.forbidden, help: t('resources-forbidden-help'), ...languageAttributes(to) })}
        ${textArea(context, { id: 'note', name: 'note', label: t('resources-note'), value: data.form.note, error: data.errors.note, rows: 2 })}
        ${submitButton(t('resources-save-term'))}
      </form>
      ${uploadForm(context, action('/glossary/import', true), t('resources-import-tbx'), '.tbx,.xml')}`
          : null
      }
    </section>
    <section aria-labelledby="memory-heading">
      <h2 id="memory-heading">${t('resources-memory-heading')}</h2>
      <p>${t('resources-memory-count', context.formatNumber(data.memory), data.memory)}</p>
      <p><a href=${action('/memory.tmx')}>${t('resources-download-tmx')}</a></p>
      ${data.canEdit ? uploadForm(context, action('/memory/import', true), t('resources-import-tmx'), '.tmx,.xml') : null}
    </section>`,
  );
}

function uploadForm(context: PageContext, action: string, label: string, accept: string): VNode {
  const id = `upload-${accept.replace(/\W/g, '')}`;
  return html`<form class="resources__upload" method="post" enctype="multipart/form-data" action=${action}>
    <label for=${id}>${label}</label>
    <input id=${id} type="file" name="file" accept=${accept} required />
    <button class="cdx-button" type="submit">${context.t('translate-import-button')}</button>
  </form>`;
}

function importOutcome(context: PageContext, imported: NonNullable<ResourcesPageData['imported']>): VNode {
  const { t } = context;
  if (imported.ok)
    return formMessage(
      context,
      'success',
      `resources-imported-${imported.kind}`,
      context.formatNumber(imported.count),
      imported.count,
    );
  return html`<div>
    ${formMessage(context, 'error', 'translate-import-refused')}
    <ul>${imported.problems.map(
      (problem) =>
        html`<li>${problem.line ? html`${t('translate-import-at', context.formatNumber(problem.line), context.formatNumber(problem.column))} ` : null}<code>${problem.code}</code> <span lang="en" dir="ltr">${problem.message}</span></li>`,
    )}</ul>
  </div>`;
}
