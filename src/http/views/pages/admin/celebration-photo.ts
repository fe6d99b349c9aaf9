import { monthLabel, type HonoreePhoto, type PhotoCreditForm } from '../../../../domain/celebration/announcement.ts';
import type { FieldErrors } from '../../../../domain/forms/fields.ts';
import { honoreePhoto } from '../../components/honoree-photo.ts';
import { csrfField, field, submitButton, textInput } from '../../components/form.ts';
import { megabytes } from '../../components/player.ts';
import { href, type PageContext } from '../../context.ts';
import { html, type VNode } from '../../html.ts';
import { adminLayout } from './parts.ts';

export interface PhotoPageData {
  month: string;
  /** The honoree's story, once the cycle is announced; the form is offered only then. */
  story: { slug: string } | null;
  photo: HonoreePhoto | undefined;
  form: PhotoCreditForm;
  errors: FieldErrors;
  /** A problem with the file, as a message key. */
  fileError?: string | undefined;
  saved: boolean;
  maxBytes: number;
}

/** The honoree's photo of a month: the one kept, and a form for another with its licence and attribution. */
export function celebrationPhotoPage(context: PageContext, data: PhotoPageData): VNode {
  const { t } = context;
  const month = monthLabel(data.month, context.language.code);
  const path = `/admin/celebration/${data.month}/photo`;
  const invalid = Object.keys(data.errors).length > 0;
  const form = data.story
    ? html`<form class="narrow-form" method="post" enctype="multipart/form-data"
        action=${href(context, `${path}?_csrf=${encodeURIComponent(context.csrfToken ?? '')}`)}>
        ${csrfField(context)}
        ${textInput(context, { id: 'photo-licence', name: 'licence', label: t('celebration-photo-licence'), help: t('celebration-photo-licence-help'), value: data.form.licence, error: data.errors.licence, required: true, maxLength: 100 })}
        ${textInput(context, { id: 'photo-author', name: 'author', label: t('celebration-photo-author'), value: data.form.author, error: data.errors.author, required: true, maxLength: 200 })}
        ${textInput(context, { id: 'photo-source', name: 'source', type: 'url', label: t('celebration-photo-source'), help: t('celebration-photo-source-help'), value: data.form.source, error: data.errors.source, maxLength: 500 })}
        ${field(
          context,
          {
            id: 'photo-file',
            label: t('celebration-photo-file'),
            help: t('celebration-photo-file-help', megabytes(context, data.maxBytes)),
            error: data.fileError,
          },
          (describedBy, fileInvalid) =>
            html`<input id="photo-file" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required
              aria-describedby=${describedBy} aria-invalid=${fileInvalid ? 'true' : undefined} />`,
        )}
        ${submitButton(t('celebration-photo-submit'))}
      </form>`
    : html`<p role="status">${t('celebration-photo-not-announced')}</p>`;
  return adminLayout(
    context,
    t('celebration-photo-title', month),
    { saved: data.saved, invalid },
    html`
    ${data.story ? html`<p><a href=${href(context, `/stories/${data.story.slug}`)}>${t('celebration-photo-story-link')}</a></p>` : null}
    ${data.photo ? html`<section aria-labelledby="photo-current"><h2 id="photo-current">${t('celebration-photo-current')}</h2>${honoreePhoto(context, data.photo, t('celebration-photo-title', month))}</section>` : null}
    ${form}`,
  );
}
