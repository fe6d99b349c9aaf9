import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { renderDocument, type VNode } from '../views/html.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** Sends a rendered page as an HTML document. */
    page(page: VNode, status?: number): FastifyReply;
  }
}

/** The one way a route answers with a page. */
export const pagesPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateReply('page', function (this: FastifyReply, page: VNode, status = 200) {
      return this.code(status).type('text/html; charset=utf-8').send(renderDocument(page));
    });
  },
  { name: 'pages' },
);
