/**
 * What failed when a slide would not open, in words. OpenSeadragon reports a descriptor it
 * could not fetch as "HTTP 0 attempting to load TileSource: <url>" (0 for a network error, a
 * refused cross-origin request or a dead host) and a document it could not read as "Unable to
 * load TileSource"; neither tells a user what to do. Pure: no DOM, so it is tested in Node.
 */

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * @param url the Deep Zoom descriptor's address, or undefined for the case's own virtual slides
 * @param message OpenSeadragon's `open-failed` message
 */
export function describeOpenFailure(url: string | undefined, message: string): string {
  if (url === undefined) return message || 'the slide could not be opened.';
  const http = /^HTTP (\d+) attempting to load TileSource/.exec(message);
  if (http) {
    const status = Number(http[1]);
    if (status === 0) return `The Deep Zoom descriptor at ${url} could not be loaded (network error, or the server refused it).`;
    const text = STATUS_TEXT[status];
    return `The Deep Zoom descriptor at ${url} could not be loaded: the server answered HTTP ${status}${text ? ` ${text}` : ''}.`;
  }
  const format = /support (\w+)-based Deep Zoom/.exec(message);
  if (format) return `The Deep Zoom image at ${url} has ${format[1]} tiles, which a browser cannot show.`;
  return `The file at ${url} is not a valid Deep Zoom descriptor.`;
}
