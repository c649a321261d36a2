import type { FastifyInstance } from 'fastify';
import { Socket } from 'node:net';
import { ServiceError } from '../../domain/service-error.js';

/** Parsed urlencoded form: a field given more than once becomes an array. */
export type FormFields = Record<string, string | string[]>;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Strict body parsers (and a NUL in the address refused): bytes that are not valid UTF-8 are refused (`invalid_encoding`) rather
 * than silently replaced, and malformed JSON is `invalid_json`. Other media types are 415.
 */
export function registerBodyParsers(app: FastifyInstance, options: { bodyTimeoutMs: number }): void {
  // One callback hook for both checks (they run for every request).
  app.addHook('onRequest', (request, _reply, done) => {
    // NUL (`%00`) names no page, parameter or record, and PostgreSQL refuses it in text: an
    // address holding one is refused whole, before any route reads it.
    if (/%00/i.test(request.url)) return done(new ServiceError({ code: 'invalid_encoding' }));
    // Slow-loris on the body: Node's requestTimeout cuts off slow headers, but once they are in, a
    // body trickled a byte at a time kept the connection for as long as the client liked (every
    // byte resets the idle timeout). A body not complete within the timeout loses its connection.
    const raw = request.raw;
    if (!raw.complete && raw.socket instanceof Socket) {
      const timer = setTimeout(() => {
        if (!raw.complete) raw.socket.destroy();
      }, options.bodyTimeoutMs).unref();
      raw.once('end', () => clearTimeout(timer));
      raw.once('close', () => clearTimeout(timer));
    }
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(decodeUtf8(body as Buffer)));
    } catch (error) {
      done(error instanceof ServiceError ? error : new ServiceError({ code: 'invalid_json', field: 'body' }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseForm(decodeUtf8(body as Buffer)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new ServiceError({ code: 'invalid_encoding', field: 'body' });
  }
}

/** Parses `application/x-www-form-urlencoded` (WHATWG URL §5.1), refusing bad percent-encoding. */
export function parseForm(body: string): FormFields {
  const fields: FormFields = Object.create(null);
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[name] = [existing, value];
  }
  return fields;
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new ServiceError({ code: 'invalid_encoding', field: 'body' });
  }
}
