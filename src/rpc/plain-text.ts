/** Plain-text HTTP errors shaped like Go's `http.Error` (text/plain, nosniff, trailing newline). */
import type { FastifyReply } from 'fastify';

export function sendPlainText(reply: FastifyReply, status: number, message: string): number {
  reply
    .code(status)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send(`${message}\n`);
  return status;
}
