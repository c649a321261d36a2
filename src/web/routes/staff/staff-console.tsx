import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';

/** The staff console under /staff: sign-in, queue, review, assisted entry, audit log. */
export async function registerStaffConsole(app: FastifyInstance, ctx: AppContext): Promise<void> {
  void app;
  void ctx;
}
