import type { FastifyInstance } from 'fastify';

/** Admin and editor management pages (people, regions, themes, users, languages). */
export async function adminRoutes(_app: FastifyInstance) {}
