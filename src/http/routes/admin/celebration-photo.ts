import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { PhotoCreditForm } from '../../../domain/celebration/announcement.ts';
import { AppError, notFound } from '../../../errors.ts';
import { MAX_PHOTO_BYTES } from '../../../services/celebration-announce.ts';
import { formFile, uploadProblem } from '../../forms.ts';
import { celebrationPhotoPage, type PhotoPageData } from '../../views/pages/admin/celebration-photo.ts';
import { MonthParams } from '../site/celebration-forms.ts';

// File problems shown on the form itself, each with the message key that explains it.
const PHOTO_PROBLEMS: Record<string, string> = {
  not_an_image: 'celebration-photo-error-not-an-image',
  too_large: 'celebration-photo-error-too-large',
  FST_REQ_FILE_TOO_LARGE: 'celebration-photo-error-too-large',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'celebration-photo-error-no-file',
  no_file: 'celebration-photo-error-no-file',
  cut_off: 'celebration-photo-error-no-file',
};

/** A multipart field's text ('' when absent): the credit fields come before the file in the form. */
const fieldText = (fields: Record<string, unknown>, name: string): string => {
  const value = (fields[name] as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' ? value : '';
};

/** The honoree's photo of a month (editors): JPEG, PNG or WebP by its content, with licence and attribution. */
export const celebrationPhotoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { celebration } = app.services;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    month: string,
    extra: Partial<PhotoPageData> = {},
    status = 200,
  ) {
    const cycle = await celebration.cycleByMonth(month);
    if (!cycle) throw notFound('cycle');
    const [story, photo] = await Promise.all([celebration.honoreeStory(cycle.id), celebration.photo(cycle.id)]);
    const context = request.pageContext(reply, request.language, { forms: true });
    return reply.page(
      celebrationPhotoPage(context, {
        month,
        story,
        photo,
        form: { licence: '', author: '', source: photo?.sourceUrl ?? '' },
        errors: {},
        saved: false,
        maxBytes: MAX_PHOTO_BYTES,
        ...extra,
      }),
      status,
    );
  }

  app.get(
    '/celebration/:month/photo',
    {
      schema: {
        params: MonthParams,
        querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 1 })) }),
      },
    },
    async (request, reply) => {
      request.authorize('celebration.manage');
      return render(request, reply, request.params.month, { saved: request.query.saved === '1' });
    },
  );

  app.post(
    '/celebration/:month/photo',
    { schema: { params: MonthParams }, preHandler: app.csrfProtection },
    async (request, reply) => {
      request.authorize('celebration.manage');
      const { month } = request.params;
      const cycle = await celebration.cycleByMonth(month);
      if (!cycle) throw notFound('cycle');
      let form: PhotoCreditForm = { licence: '', author: '', source: '' };
      try {
        const file = await formFile(request, { limits: { fileSize: MAX_PHOTO_BYTES + 1 } });
        if (!file) throw new AppError(400, 'no_file', 'No file was sent');
        form = {
          licence: fieldText(file.fields, 'licence'),
          author: fieldText(file.fields, 'author'),
          source: fieldText(file.fields, 'source'),
        };
        const result = await celebration.savePhoto(request.user!, cycle.id, file.file, form);
        if (!result.ok) return render(request, reply, month, { form, errors: result.errors }, 400);
        // The multipart plugin marks a file cut at its size limit only once the stream has ended.
        if (file.file.truncated) throw new AppError(413, 'too_large', 'The photo is too large');
      } catch (error) {
        const code = uploadProblem(error, PHOTO_PROBLEMS);
        const problem = PHOTO_PROBLEMS[code];
        if (!problem) throw error;
        request.log.info({ code, month }, 'celebration photo refused');
        const status =
          code === 'not_an_image' ? 415 : code === 'too_large' || code === 'FST_REQ_FILE_TOO_LARGE' ? 413 : 400;
        return render(request, reply, month, { form, fileError: problem }, status);
      }
      return reply.redirect(`/${request.language.code}/admin/celebration/${month}/photo?saved=1`, 303);
    },
  );
};
