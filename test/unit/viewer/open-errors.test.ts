import { describe, expect, it } from 'vitest';
import { describeOpenFailure } from '../../../src/viewer/open-errors';

const url = 'https://images.example.org/s/a.dzi';

describe('why a slide would not open, in words', () => {
  it('a network error or refused request', () => {
    expect(describeOpenFailure(url, `HTTP 0 attempting to load TileSource: ${url}`)).toBe(
      `The Deep Zoom descriptor at ${url} could not be loaded (network error, or the server refused it).`,
    );
  });

  it('an HTTP status, named where it is a common one', () => {
    expect(describeOpenFailure(url, `HTTP 404 attempting to load TileSource: ${url}`)).toBe(
      `The Deep Zoom descriptor at ${url} could not be loaded: the server answered HTTP 404 Not Found.`,
    );
    expect(describeOpenFailure(url, 'HTTP 418 attempting to load TileSource: x')).toMatch(/answered HTTP 418\.$/);
  });

  it('a document that is not a descriptor', () => {
    expect(describeOpenFailure(url, 'Unable to load TileSource')).toBe(`The file at ${url} is not a valid Deep Zoom descriptor.`);
    expect(describeOpenFailure(url, "Hmm, this doesn't appear to be a valid Deep Zoom Image.")).toMatch(/not a valid Deep Zoom descriptor/);
  });

  it('tiles a browser cannot decode', () => {
    expect(describeOpenFailure(url, "Sorry, we don't support TIF-based Deep Zoom Images.")).toMatch(/has TIF tiles, which a browser cannot show/);
  });

  it('never repeats OpenSeadragon’s wording for a descriptor', () => {
    for (const m of ['HTTP 0 attempting to load TileSource: x', 'HTTP 500 attempting to load TileSource: x', 'Unable to load TileSource', ''])
      expect(describeOpenFailure(url, m)).not.toMatch(/TileSource/);
  });
});
