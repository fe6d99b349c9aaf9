import type { TranslateBoot } from '../../../web/translate/boot.ts';
import type { ImportResult } from '../../../services/translation-exchange.ts';
import type { LanguageRow } from '../../../domain/languages/languages.ts';
import { formMessage } from '../components/form.ts';
import type { UnitRow } from '../../../domain/translation/unit-row.ts';
import { plainText } from '../../../domain/translation/story-units.ts';
import { href, languageAttributes, type PageContext } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export interface TranslatePageData {
  script: string;
  boot: TranslateBoot;
  /** The units as they stand, for the page without script: read-only, with the exchange files to work offline. */
  rows: UnitRow[];
  percent: number;
}

/**
 * The translation editor: a Vue island on one element carrying its data as JSON in an attribute.
 * Without script the page lists the units and their state, and offers the XLIFF and PO files for
 * desktop tools, with an upload form to bring the translation back.
 */
export function translatePage(context: PageContext, data: TranslatePageData) {
  const { t } = context;
  const { boot } = data;
  const title = t('translate-title', boot.story.title, boot.target.autonym);
  return layout(
    context,
    { title, alternates: false, modules: [data.script], styles: ['/assets/translate.css'] },
    html`
    <h1>${title}</h1>
    <p class="translate__links">
      <a href=${boot.storyUrl}>${t('translate-view-story')}</a>${' · '}
      <a href=${boot.exportUrls.xliff}>${t('translate-download-xliff')}</a>${' · '}
      <a href=${boot.exportUrls.po}>${t('translate-download-po')}</a>${' · '}
      <a href=${href(context, `/translation-resources?from=${boot.source.code}&to=${boot.target.code}`)}>${t('translate-resources-link')}</a>
    </p>
    <div id="translate-editor" class="translate-root" data-translate=${JSON.stringify(boot)}>
      <p>${t('translate-needs-script')}</p>
      <p><progress max="100" value=${data.percent}>${data.percent}%</progress> ${t('story-percent-translated', context.formatNumber(data.percent))}</p>
      <table class="translate__static">
        <thead><tr><th scope="col" ...${languageAttributes(boot.source)}>${boot.source.autonym}</th><th scope="col" ...${languageAttributes(boot.target)}>${boot.target.autonym}</th><th scope="col">${t('translate-state')}</th></tr></thead>
        <tbody>
          ${data.rows.map(
            (row) => html`<tr>
            <td ...${languageAttributes(boot.source)}>${plainText(row.source)}</td>
            <td ...${languageAttributes(boot.target)}>${plainText(row.text)}</td>
            <td>${t(`translate-state-${row.state}`)}</td>
          </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <section class="translate__import" aria-labelledby="import-heading">
      <h2 id="import-heading">${t('translate-import-heading')}</h2>
      <p>${t('translate-import-help')}</p>
      <form method="post" enctype="multipart/form-data" action=${href(context, `/translate/${boot.story.slug}/${boot.target.code}/import?_csrf=${encodeURIComponent(context.csrfToken ?? '')}`)}>
        <input type="file" name="file" accept=".xlf,.xliff,.po" required aria-labelledby="import-heading" />
        <button class="cdx-button" type="submit">${t('translate-import-button')}</button>
      </form>
    </section>
  `,
  );
}

export interface ImportPageData {
  slug: string;
  language: LanguageRow;
  result: ImportResult;
}

/** What an imported exchange file did: how many translations arrived as drafts, or every reason it was refused. */
export function translateImportPage(context: PageContext, data: ImportPageData) {
  const { t } = context;
  const { result } = data;
  const title = t('translate-import-title', data.language.autonym);
  const back = href(context, `/translate/${data.slug}/${data.language.code}`);
  return layout(
    context,
    { title, alternates: false },
    html`
    <h1>${title}</h1>
    ${
      result.ok
        ? formMessage(
            context,
            'success',
            'translate-import-done',
            context.formatNumber(result.saved),
            context.formatNumber(result.unchanged),
          )
        : html`${formMessage(context, 'error', 'translate-import-refused')}
      <ul class="translate__refusals">
        ${
          'problems' in result
            ? result.problems.map(
                (problem) =>
                  html`<li>${t('translate-import-at', context.formatNumber(problem.line), context.formatNumber(problem.column))} <code>${problem.code}</code> ${problem.unit ? html`(<code>${problem.unit}</code>)` : null} <span lang="en" dir="ltr">${problem.message}</span></li>`,
              )
            : result.refusals.map(
                (refusal) =>
                  html`<li>${refusal.unit ? html`<code>${refusal.unit}</code>: ` : null}${t(`translate-import-${refusal.reason}`)}${refusal.detail ? html` <bdi>${refusal.detail}</bdi>` : null}</li>`,
              )
        }
      </ul>`
    }
    <p><a href=${back}>${t('translate-import-back')}</a></p>`,
  );
}
